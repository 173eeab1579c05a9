/// Migration 23: the vocabulary of SQLite's search documents, `ticket_words_terms` (an
/// `fts5vocab` table over `ticket_words`: one row per word the index holds, nothing stored).
/// A prefix word reads there the few words it starts and searches them as plain words
/// (`TicketRepository.expandingPrefixes`): FTS5 without a prefix index otherwise merges every
/// such word's matches into one list each time it evaluates the prefix, which cost `invoi*`
/// 20–34 ms at a million tickets where the word `invoice` costs a few.
/// PostgreSQL's GIN index answers a prefix (`:*`) from its own sorted keys: nothing to add.
enum Schema23 {
    static let sqlite = "CREATE VIRTUAL TABLE ticket_words_terms USING fts5vocab(ticket_words, 'row');\n"
    static let postgres = "-- PostgreSQL's GIN index reads a prefix's words from its own sorted keys.\n"
}
