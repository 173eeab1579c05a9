/// Migration 8 on PostgreSQL: a ticket's message count and tag names kept on the ticket row by
/// triggers (see `Schema8` for why). `tag_names` is the same string as on SQLite: the names
/// joined by U+001F, in no particular order, NULL without tags.
enum PostgresSchema8 {
    static let ticketSummaryColumns = """
        ALTER TABLE tickets ADD COLUMN message_count BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE tickets ADD COLUMN tag_names TEXT;

        CREATE FUNCTION deskgate_ticket_tag_names(in_tenant BIGINT, in_ticket BIGINT) RETURNS TEXT
            LANGUAGE sql STABLE AS $$
            SELECT string_agg(g.name, chr(31)) FROM ticket_tags tt
                JOIN tags g ON g.tenant_id = tt.tenant_id AND g.id = tt.tag_id
                WHERE tt.tenant_id = in_tenant AND tt.ticket_id = in_ticket
        $$;
        UPDATE tickets SET
            message_count = (SELECT count(*) FROM messages m WHERE m.tenant_id = tickets.tenant_id AND m.ticket_id = tickets.id),
            tag_names = deskgate_ticket_tag_names(tickets.tenant_id, tickets.id);

        CREATE FUNCTION deskgate_count_messages() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE tickets SET message_count = message_count - 1 WHERE tenant_id = OLD.tenant_id AND id = OLD.ticket_id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                UPDATE tickets SET message_count = message_count + 1 WHERE tenant_id = NEW.tenant_id AND id = NEW.ticket_id;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER ticket_message_added AFTER INSERT ON messages FOR EACH ROW
            EXECUTE FUNCTION deskgate_count_messages();
        CREATE TRIGGER ticket_message_removed AFTER DELETE ON messages FOR EACH ROW
            EXECUTE FUNCTION deskgate_count_messages();
        CREATE TRIGGER ticket_message_moved AFTER UPDATE OF tenant_id, ticket_id ON messages FOR EACH ROW
            WHEN (NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.ticket_id IS DISTINCT FROM OLD.ticket_id)
            EXECUTE FUNCTION deskgate_count_messages();

        CREATE FUNCTION deskgate_name_ticket_tags() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE tickets SET tag_names = deskgate_ticket_tag_names(OLD.tenant_id, OLD.ticket_id)
                    WHERE tenant_id = OLD.tenant_id AND id = OLD.ticket_id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                UPDATE tickets SET tag_names = deskgate_ticket_tag_names(NEW.tenant_id, NEW.ticket_id)
                    WHERE tenant_id = NEW.tenant_id AND id = NEW.ticket_id;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER ticket_tag_added AFTER INSERT ON ticket_tags FOR EACH ROW
            EXECUTE FUNCTION deskgate_name_ticket_tags();
        CREATE TRIGGER ticket_tag_removed AFTER DELETE ON ticket_tags FOR EACH ROW
            EXECUTE FUNCTION deskgate_name_ticket_tags();
        CREATE TRIGGER ticket_tag_changed AFTER UPDATE ON ticket_tags FOR EACH ROW
            EXECUTE FUNCTION deskgate_name_ticket_tags();

        -- "C": a rename that changes only the case is a rename too (the column's own collation
        -- would call the two names equal).
        CREATE FUNCTION deskgate_rename_tag() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE tickets SET tag_names = deskgate_ticket_tag_names(tickets.tenant_id, tickets.id)
                WHERE tenant_id = NEW.tenant_id
                  AND id IN (SELECT ticket_id FROM ticket_tags WHERE tenant_id = NEW.tenant_id AND tag_id = NEW.id);
            RETURN NULL;
        END $$;
        CREATE TRIGGER tag_renamed AFTER UPDATE OF name ON tags FOR EACH ROW
            WHEN ((NEW.name COLLATE "C") IS DISTINCT FROM (OLD.name COLLATE "C"))
            EXECUTE FUNCTION deskgate_rename_tag();

        """
}
