/// Migration 13, second part: one search document per ticket, so that "every word somewhere
/// in the ticket" is one index lookup instead of a join over the ticket's messages.
///
/// SQLite: `ticket_words`, a contentless FTS5 table without positions (detail=none): for each
/// ticket (rowid = ticket id) the set of tokens of its subject and of all its messages, and
/// one private token per filter value (`TicketWords.attribute`): status, priority, department,
/// assignee and creator. A search's words and filters are then one FTS5 AND. Without
/// positions a row is a set of (token, ticket) entries, so a message adds its tokens by
/// inserting them for the ticket's rowid again, and a filter change deletes the old value's
/// token and inserts the new one; only removing text (a message deleted, moved, edited, or a
/// new subject) rewrites the ticket's whole set.
enum Schema13TicketWords {
    /// The private tokens of ticket row `row` (`new`, `old` or a table alias): U+E000 is a
    /// private-use character, which unicode61 keeps inside a token and no search word holds.
    static func attributes(_ row: String) -> String {
        let mark = "char(57344)"
        return [("s", "\(row).status"), ("p", "\(row).priority"), ("d", "coalesce(\(row).department_id, 'none')"),
                ("a", "coalesce(\(row).assignee_id, 'none')"), ("c", "coalesce(\(row).creator_id, 'none')")]
            .map { "\(mark) || '\($0.0)' || \(mark) || \($0.1)" }.joined(separator: " || ' ' || ")
    }

    /// Every message body of ticket `ticket` of tenant `tenant`, space-separated ('' for none).
    static func bodies(tenant: String, ticket: String) -> String {
        "coalesce((SELECT group_concat(m.body, ' ') FROM messages m WHERE m.tenant_id = \(tenant) AND m.ticket_id = \(ticket)), '')"
    }

    /// The whole document of ticket row `row`.
    static func document(_ row: String) -> String {
        "\(row).subject || ' ' || \(attributes(row)) || ' ' || \(bodies(tenant: "\(row).tenant_id", ticket: "\(row).id"))"
    }

    /// The document of the ticket a message row `row` names, NULL when that ticket is gone.
    static func documentOfTicket(_ row: String) -> String {
        "(SELECT \(document("t")) FROM tickets t WHERE t.tenant_id = \(row).tenant_id AND t.id = \(row).ticket_id)"
    }

    /// Built in ticket order, then merged into one segment: a rowid probe into a fresh build's
    /// many segments cost 15 times as much (measured at 1M tickets: 620 µs against 41 µs).
    static let build = """
        INSERT INTO ticket_words (rowid, words) SELECT t.id, \(document("t")) FROM tickets t ORDER BY t.id;
        INSERT INTO ticket_words (ticket_words) VALUES ('optimize');

        """

    /// Migration 1's indexes are merged too: probing a message by rowid, as snippets and
    /// phrase checks do, cost ten times as much in the many segments of a bulk-loaded index.
    static let sqlite = """
        INSERT INTO ticket_subject_search (ticket_subject_search) VALUES ('optimize');
        INSERT INTO message_body_search (message_body_search) VALUES ('optimize');
        CREATE VIRTUAL TABLE ticket_words USING fts5(
            words, content='', detail='none', columnsize=0, tokenize='unicode61 remove_diacritics 2');
        \(build)
        CREATE TRIGGER ticket_words_insert AFTER INSERT ON tickets BEGIN
            INSERT INTO ticket_words (rowid, words) VALUES (new.id, new.subject || ' ' || \(attributes("new")));
        END;
        CREATE TRIGGER ticket_words_attributes AFTER UPDATE OF status, priority, department_id, assignee_id, creator_id ON tickets
        WHEN old.status IS NOT new.status OR old.priority IS NOT new.priority OR old.department_id IS NOT new.department_id
            OR old.assignee_id IS NOT new.assignee_id OR old.creator_id IS NOT new.creator_id BEGIN
            INSERT INTO ticket_words (ticket_words, rowid, words) VALUES ('delete', old.id, \(attributes("old")));
            INSERT INTO ticket_words (rowid, words) VALUES (new.id, \(attributes("new")));
        END;
        CREATE TRIGGER ticket_words_subject AFTER UPDATE OF subject ON tickets WHEN old.subject IS NOT new.subject BEGIN
            INSERT INTO ticket_words (ticket_words, rowid, words) VALUES ('delete', old.id, \(document("old")));
            INSERT INTO ticket_words (rowid, words) VALUES (new.id, \(document("new")));
        END;
        CREATE TRIGGER ticket_words_delete AFTER DELETE ON tickets BEGIN
            INSERT INTO ticket_words (ticket_words, rowid, words) VALUES ('delete', old.id, \(document("old")));
        END;
        CREATE TRIGGER ticket_words_message_insert AFTER INSERT ON messages BEGIN
            INSERT INTO ticket_words (rowid, words) VALUES (new.ticket_id, new.body);
        END;
        CREATE TRIGGER ticket_words_message_delete AFTER DELETE ON messages BEGIN
            INSERT INTO ticket_words (ticket_words, rowid, words)
                VALUES ('delete', old.ticket_id, old.body || ' ' || coalesce(\(documentOfTicket("old")), ''));
            INSERT INTO ticket_words (rowid, words) SELECT old.ticket_id, \(documentOfTicket("old"))
                WHERE \(documentOfTicket("old")) IS NOT NULL;
        END;
        CREATE TRIGGER ticket_words_message_update AFTER UPDATE OF body, ticket_id ON messages BEGIN
            INSERT INTO ticket_words (ticket_words, rowid, words)
                VALUES ('delete', old.ticket_id, old.body || ' ' || coalesce(\(documentOfTicket("old")), ''));
            INSERT INTO ticket_words (rowid, words) SELECT old.ticket_id, \(documentOfTicket("old"))
                WHERE \(documentOfTicket("old")) IS NOT NULL;
            INSERT INTO ticket_words (rowid, words) VALUES (new.ticket_id, new.body);
        END;

        """

    /// PostgreSQL: a table of one stripped tsvector (lexemes, no positions) per ticket with a
    /// GIN index, kept by triggers; `deskgate_search_all` is the AND of a word's tokens, cut as
    /// `deskgate_search_query` cuts them. Filters stay columns of `tickets`: the planner
    /// combines them with the document's matches by itself.
    static let postgres = """
        CREATE FUNCTION deskgate_search_all(text) RETURNS tsquery
            LANGUAGE sql IMMUTABLE RETURNS NULL ON NULL INPUT PARALLEL SAFE
            RETURN plainto_tsquery('deskgate_search'::regconfig, regexp_replace($1 COLLATE "und-x-icu", '[^[:alnum:]]+', ' ', 'g'));
        CREATE AGGREGATE deskgate_words_union(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');
        CREATE TABLE ticket_words (
            tenant_id bigint NOT NULL REFERENCES tenants(id),
            ticket_id bigint NOT NULL,
            words tsvector NOT NULL,
            PRIMARY KEY (tenant_id, ticket_id),
            FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
        );
        CREATE INDEX ticket_words_search ON ticket_words USING gin (words);
        CREATE FUNCTION deskgate_ticket_words(bigint, bigint) RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE
            RETURN (SELECT strip(deskgate_search_vector(t.subject)) || coalesce((SELECT deskgate_words_union(strip(deskgate_search_vector(m.body)))
                    FROM messages m WHERE m.tenant_id = $1 AND m.ticket_id = $2), ''::tsvector)
                FROM tickets t WHERE t.tenant_id = $1 AND t.id = $2);
        INSERT INTO ticket_words (tenant_id, ticket_id, words) SELECT t.tenant_id, t.id, deskgate_ticket_words(t.tenant_id, t.id) FROM tickets t;
        ALTER TABLE ticket_words ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_wall ON ticket_words USING (deskgate_row_visible(tenant_id)) WITH CHECK (deskgate_row_visible(tenant_id));
        CREATE FUNCTION deskgate_keep_ticket_words() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_TABLE_NAME = 'tickets' THEN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO ticket_words (tenant_id, ticket_id, words)
                        VALUES (NEW.tenant_id, NEW.id, strip(deskgate_search_vector(NEW.subject)));
                ELSE
                    UPDATE ticket_words SET words = coalesce(deskgate_ticket_words(NEW.tenant_id, NEW.id), ''::tsvector)
                        WHERE tenant_id = NEW.tenant_id AND ticket_id = NEW.id;
                END IF;
            ELSIF TG_OP = 'INSERT' THEN
                UPDATE ticket_words SET words = words || strip(deskgate_search_vector(NEW.body))
                    WHERE tenant_id = NEW.tenant_id AND ticket_id = NEW.ticket_id;
            ELSE
                UPDATE ticket_words SET words = coalesce(deskgate_ticket_words(OLD.tenant_id, OLD.ticket_id), ''::tsvector)
                    WHERE tenant_id = OLD.tenant_id AND ticket_id = OLD.ticket_id;
                IF TG_OP = 'UPDATE' THEN
                    UPDATE ticket_words SET words = coalesce(deskgate_ticket_words(NEW.tenant_id, NEW.ticket_id), ''::tsvector)
                        WHERE tenant_id = NEW.tenant_id AND ticket_id = NEW.ticket_id;
                END IF;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER ticket_words_insert AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION deskgate_keep_ticket_words();
        CREATE TRIGGER ticket_words_subject AFTER UPDATE OF subject ON tickets FOR EACH ROW
            WHEN (OLD.subject IS DISTINCT FROM NEW.subject) EXECUTE FUNCTION deskgate_keep_ticket_words();
        CREATE TRIGGER ticket_words_message_insert AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION deskgate_keep_ticket_words();
        CREATE TRIGGER ticket_words_message_delete AFTER DELETE ON messages FOR EACH ROW EXECUTE FUNCTION deskgate_keep_ticket_words();
        CREATE TRIGGER ticket_words_message_update AFTER UPDATE OF body, ticket_id ON messages FOR EACH ROW
            EXECUTE FUNCTION deskgate_keep_ticket_words();

        """
}
