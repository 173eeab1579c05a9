/// Migration 17 (PostgreSQL only): the filters inside the per-ticket documents, as SQLite has
/// had them since migration 13, and search statements kept to one process.
///
/// Each `ticket_words.words` gains one private lexeme per filter value: `s:<status>`,
/// `p:<priority>`, `d:<department>`, `a:<assignee>` and `c:<creator>` (`none` for no value).
/// Text can never yield them: `deskgate_search_vector` keeps only runs of letters and digits,
/// and these hold a colon. A search's words and filters (visibility included) are then one
/// GIN lookup (`TicketWords`): at a million tickets `invoice` with a status and a department
/// joined all 88,751 tickets holding `invoice` to the filters after the lookup (0.3 s) to
/// find none. A filter change swaps the old lexemes for the new (`ts_delete`); every full
/// rebuild (`deskgate_ticket_words`) writes them too. The backfill drops the GIN index first:
/// 1M rows rewritten with it live would update it entry by entry.
///
/// `deskgate_one_process()`: a search walks a few hundred rows in a few ms, but the planner
/// gave those walks a parallel plan whose worker started 10–35 ms late on a loaded machine.
/// A parallel-unsafe function anywhere in a statement rules out parallel plans for it (the
/// planner checks before it simplifies); this one is immutable, so it folds to `true` and costs
/// nothing when run.
enum PostgresSchema17 {
    static let ticketWordAttributes = """
        CREATE FUNCTION deskgate_ticket_attributes(status text, priority text, department bigint, assignee bigint, creator bigint)
            RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN array_to_tsvector(ARRAY['s:' || status, 'p:' || priority, 'd:' || coalesce(department::text, 'none'),
                                           'a:' || coalesce(assignee::text, 'none'), 'c:' || coalesce(creator::text, 'none')]);
        CREATE FUNCTION deskgate_one_process() RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL UNSAFE RETURN true;
        CREATE OR REPLACE FUNCTION deskgate_ticket_words(bigint, bigint) RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE
            RETURN (SELECT strip(deskgate_search_vector(t.subject))
                        || deskgate_ticket_attributes(t.status, t.priority, t.department_id, t.assignee_id, t.creator_id)
                        || coalesce((SELECT deskgate_words_union(strip(deskgate_search_vector(m.body)))
                            FROM messages m WHERE m.tenant_id = $1 AND m.ticket_id = $2), ''::tsvector)
                    FROM tickets t WHERE t.tenant_id = $1 AND t.id = $2);
        CREATE OR REPLACE FUNCTION deskgate_keep_ticket_words() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_TABLE_NAME = 'tickets' THEN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO ticket_words (tenant_id, ticket_id, words)
                        VALUES (NEW.tenant_id, NEW.id, strip(deskgate_search_vector(NEW.subject))
                            || deskgate_ticket_attributes(NEW.status, NEW.priority, NEW.department_id, NEW.assignee_id, NEW.creator_id));
                ELSIF TG_NARGS > 0 AND TG_ARGV[0] = 'attributes' THEN
                    UPDATE ticket_words SET words = ts_delete(words, tsvector_to_array(deskgate_ticket_attributes(
                                OLD.status, OLD.priority, OLD.department_id, OLD.assignee_id, OLD.creator_id)))
                            || deskgate_ticket_attributes(NEW.status, NEW.priority, NEW.department_id, NEW.assignee_id, NEW.creator_id)
                        WHERE tenant_id = NEW.tenant_id AND ticket_id = NEW.id;
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
        CREATE TRIGGER ticket_words_attributes AFTER UPDATE OF status, priority, department_id, assignee_id, creator_id ON tickets
            FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.priority IS DISTINCT FROM NEW.priority
                OR OLD.department_id IS DISTINCT FROM NEW.department_id OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
                OR OLD.creator_id IS DISTINCT FROM NEW.creator_id)
            EXECUTE FUNCTION deskgate_keep_ticket_words('attributes');
        DROP INDEX ticket_words_search;
        UPDATE ticket_words w SET words = w.words
                || deskgate_ticket_attributes(t.status, t.priority, t.department_id, t.assignee_id, t.creator_id)
            FROM tickets t WHERE t.tenant_id = w.tenant_id AND t.id = w.ticket_id;
        CREATE INDEX ticket_words_search ON ticket_words USING gin (words);

        """
}
