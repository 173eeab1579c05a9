import DeskgateSQL
import DeskgateModel
/// Migration 8: a ticket's message count and tag names kept on the ticket row by triggers.
///
/// `get_ticket_metadata` (the hot MCP read) showed both: counting the ticket's messages and
/// collecting its tag names took ~16k of the ~45k instructions SQLite spent per call
/// (callgrind), against two column reads now. Writes pay one extra row update per message or
/// tag change. Triggers, not application code, keep them right, so no write path (the desk
/// services, workflow actions, demo import, cascades from deleting a ticket or a tag) can
/// forget to.
///
/// `tag_names`: the names joined by U+001F (unit separator, which tag names cannot contain), in
/// no particular order (readers sort), NULL when the ticket has no tags; the same string the
/// read query's `group_concat` built before.
enum Schema8 {
    /// The names of one ticket's tags (the ticket named by `tenant` and `ticket`).
    private static func tagNames(tenant: String, ticket: String) -> String {
        """
        (SELECT group_concat(g.name, char(31)) FROM ticket_tags tt CROSS JOIN tags g
            ON g.tenant_id = tt.tenant_id AND g.id = tt.tag_id
            WHERE tt.tenant_id = \(tenant) AND tt.ticket_id = \(ticket))
        """
    }

    static let ticketSummaryColumns = """
        ALTER TABLE tickets ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tickets ADD COLUMN tag_names TEXT;
        UPDATE tickets SET
            message_count = (SELECT count(*) FROM messages m WHERE m.tenant_id = tickets.tenant_id AND m.ticket_id = tickets.id),
            tag_names = \(tagNames(tenant: "tickets.tenant_id", ticket: "tickets.id"));

        CREATE TRIGGER ticket_message_added AFTER INSERT ON messages BEGIN
            UPDATE tickets SET message_count = message_count + 1 WHERE tenant_id = new.tenant_id AND id = new.ticket_id;
        END;
        CREATE TRIGGER ticket_message_removed AFTER DELETE ON messages BEGIN
            UPDATE tickets SET message_count = message_count - 1 WHERE tenant_id = old.tenant_id AND id = old.ticket_id;
        END;
        CREATE TRIGGER ticket_message_moved AFTER UPDATE OF tenant_id, ticket_id ON messages
            WHEN new.tenant_id IS NOT old.tenant_id OR new.ticket_id IS NOT old.ticket_id BEGIN
            UPDATE tickets SET message_count = message_count - 1 WHERE tenant_id = old.tenant_id AND id = old.ticket_id;
            UPDATE tickets SET message_count = message_count + 1 WHERE tenant_id = new.tenant_id AND id = new.ticket_id;
        END;

        CREATE TRIGGER ticket_tag_added AFTER INSERT ON ticket_tags BEGIN
            UPDATE tickets SET tag_names = \(tagNames(tenant: "new.tenant_id", ticket: "new.ticket_id"))
                WHERE tenant_id = new.tenant_id AND id = new.ticket_id;
        END;
        CREATE TRIGGER ticket_tag_removed AFTER DELETE ON ticket_tags BEGIN
            UPDATE tickets SET tag_names = \(tagNames(tenant: "old.tenant_id", ticket: "old.ticket_id"))
                WHERE tenant_id = old.tenant_id AND id = old.ticket_id;
        END;
        CREATE TRIGGER ticket_tag_changed AFTER UPDATE ON ticket_tags BEGIN
            UPDATE tickets SET tag_names = \(tagNames(tenant: "old.tenant_id", ticket: "old.ticket_id"))
                WHERE tenant_id = old.tenant_id AND id = old.ticket_id;
            UPDATE tickets SET tag_names = \(tagNames(tenant: "new.tenant_id", ticket: "new.ticket_id"))
                WHERE tenant_id = new.tenant_id AND id = new.ticket_id;
        END;
        CREATE TRIGGER tag_renamed AFTER UPDATE OF name ON tags WHEN new.name IS NOT old.name BEGIN
            UPDATE tickets SET tag_names = \(tagNames(tenant: "tickets.tenant_id", ticket: "tickets.id"))
                WHERE tenant_id = new.tenant_id
                  AND id IN (SELECT ticket_id FROM ticket_tags WHERE tenant_id = new.tenant_id AND tag_id = new.id);
        END;

        """
}
