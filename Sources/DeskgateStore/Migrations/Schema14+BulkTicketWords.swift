/// Migration 14: a bulk write's per-ticket documents (migration 13) are written once per batch,
/// in ticket order, instead of row by row (SQLite).
///
/// FTS5 flushes its pending entries into a new segment whenever an inserted rowid does not
/// grow, and each message of a ticket inserts the ticket's rowid again: every message of a
/// bulk load was a flush, which made `deskgate demo` twice as slow. `ticket_words_paused`
/// holds its one row only inside one job of a bulk writer's transaction
/// (`TicketRepository.bulkWrite`): the two insert triggers skip while it does, and the job
/// writes the batch's documents before it ends. The row is never committed, so no other
/// connection's write ever sees it. PostgreSQL's row triggers have no such cost: unchanged.
enum Schema14 {
    static let sqlite = """
        CREATE TABLE ticket_words_paused (only INTEGER PRIMARY KEY CHECK (only = 1));
        DROP TRIGGER ticket_words_insert;
        CREATE TRIGGER ticket_words_insert AFTER INSERT ON tickets WHEN NOT EXISTS (SELECT 1 FROM ticket_words_paused) BEGIN
            INSERT INTO ticket_words (rowid, words) VALUES (new.id, new.subject || ' ' || \(Schema13TicketWords.attributes("new")));
        END;
        DROP TRIGGER ticket_words_message_insert;
        CREATE TRIGGER ticket_words_message_insert AFTER INSERT ON messages WHEN NOT EXISTS (SELECT 1 FROM ticket_words_paused) BEGIN
            INSERT INTO ticket_words (rowid, words) VALUES (new.ticket_id, new.body);
        END;

        """

    static let postgres = "-- PostgreSQL keeps ticket_words with row triggers that cost no flush: nothing to pause.\n"
}
