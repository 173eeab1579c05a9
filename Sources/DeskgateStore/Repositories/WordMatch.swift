import DeskgateSQL

/// How one search word is matched against ticket subjects and message bodies, as each engine
/// spells it. A word matches as the phrase of its tokens (runs of letters and digits, case and
/// accents folded) on both, so "e-mail" finds "E-Mail" and "resume" finds "Résumé".
/// - SQLite: the FTS5 indexes of migration 1 (rowid = ticket id, message id), the word bound as
///   an FTS5 string literal so that its punctuation is searched for, never read as an operator.
/// - PostgreSQL: the GIN expression indexes of migration 1 over `deskgate_search_vector(…)`, the
///   word bound as plain text and made a phrase query by `deskgate_search_query(…)`.
///
/// Neither index holds a tenant: the fragments below that do not name one are joined back to
/// `tickets`/`messages` on `tenant_id` by their callers.
struct WordMatch {
    let dialect: SQLDialect

    /// The value to bind for one word of `TicketRepository.searchWords`.
    func term(_ word: String) -> String {
        switch dialect {
        case .sqlite: "\"" + word.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        case .postgres: word
        }
    }

    /// The value to bind for "any of these words" (`snippet`'s highlighting). A prefix word is
    /// highlighted only where it is whole: PostgreSQL's headline has no prefix search, and
    /// SQLite would expand the prefix again for every message it probes; on SQLite a prefix
    /// searched as its words (`SearchWord.expansion`) is highlighted wherever one of them is.
    func anyTerm(_ searchWords: [SearchWord]) -> String {
        switch dialect {
        case .sqlite:
            return searchWords.flatMap { $0.expansion ?? [$0.text] }.map(term).joined(separator: " OR ")
        case .postgres:
            // websearch_to_tsquery's syntax: quoted phrases joined by `or`. Cutting each word at
            // what is not a letter or digit (as the indexes do) leaves no quote to escape.
            return searchWords.map(\.text).map { word in
                let cut = String(String.UnicodeScalarView(word.unicodeScalars.map {
                    $0.properties.isAlphabetic || $0.properties.numericType != nil ? $0 : " "
                }))
                return "\"" + cut + "\""
            }.joined(separator: " or ")
        }
    }

    /// Rows `ticket_id`: tickets (of any tenant) whose subject holds the word bound at `word`.
    func ticketsBySubject(_ word: String) -> String {
        switch dialect {
        case .sqlite: "SELECT rowid AS ticket_id FROM ticket_subject_search WHERE ticket_subject_search MATCH \(word)"
        case .postgres: "SELECT id AS ticket_id FROM tickets WHERE deskgate_search_vector(subject) @@ deskgate_search_query(\(word))"
        }
    }

    /// Rows `ticket_id`: tickets (of any tenant) with a message holding the word; the statement
    /// ends in its WHERE clause, so a caller may append `AND m.…` (the messages are `m`).
    func ticketsByMessage(_ word: String) -> String {
        switch dialect {
        case .sqlite:
            "SELECT m.ticket_id FROM message_body_search CROSS JOIN messages m ON m.id = message_body_search.rowid "
                + "WHERE message_body_search MATCH \(word)"
        case .postgres:
            "SELECT m.ticket_id FROM messages m WHERE deskgate_search_vector(m.body) @@ deskgate_search_query(\(word))"
        }
    }

    /// One row per subject holding the word, for counting (`LIMIT` appended): every tenant's
    /// on SQLite (FTS5 holds none), tenant `tenant`'s on PostgreSQL (which row-level security
    /// would insist on anyway).
    func subjectHits(_ word: String, tenant: String) -> String {
        switch dialect {
        // (SQLite binds the tenant too, unused, so that both take the same values.)
        case .sqlite: "SELECT 1 FROM ticket_subject_search WHERE ticket_subject_search MATCH \(word) AND \(tenant) IS NOT NULL"
        case .postgres:
            "SELECT 1 FROM tickets WHERE deskgate_search_vector(subject) @@ deskgate_search_query(\(word)) AND tenant_id = \(tenant)"
        }
    }

    /// One row per message body holding the word, for counting, as `subjectHits`.
    func bodyHits(_ word: String, tenant: String) -> String {
        switch dialect {
        case .sqlite: "SELECT 1 FROM message_body_search WHERE message_body_search MATCH \(word) AND \(tenant) IS NOT NULL"
        case .postgres:
            "SELECT 1 FROM messages WHERE deskgate_search_vector(body) @@ deskgate_search_query(\(word)) AND tenant_id = \(tenant)"
        }
    }

    /// True when ticket `t` (a row of `tickets`) holds the word in its subject or a message.
    /// SQLite probes the FTS5 doclists at this ticket's rowids only.
    func ticketHolds(_ word: String, _ again: String) -> String {
        switch dialect {
        case .sqlite:
            """
            (EXISTS (SELECT 1 FROM ticket_subject_search s WHERE s.subject MATCH \(word) AND s.rowid = t.id)
             OR EXISTS (SELECT 1 FROM messages m CROSS JOIN message_body_search b ON b.rowid = m.id
                        WHERE m.tenant_id = t.tenant_id AND m.ticket_id = t.id AND b.body MATCH \(again)))
            """
        case .postgres:
            """
            (deskgate_search_vector(t.subject) @@ deskgate_search_query(\(word))
             OR EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = t.tenant_id AND m.ticket_id = t.id
                        AND deskgate_search_vector(m.body) @@ deskgate_search_query(\(again))))
            """
        }
    }

    /// A few words of the first message of the ticket in column `ticket` (tenant `?1`) around a
    /// match of `?3` (`anyTerm`), the match in brackets.
    private func bodySnippet(ticket: String) -> String {
        switch dialect {
        case .sqlite:
            """
            SELECT snippet(message_body_search, 0, '[', ']', '…', 12)
            FROM messages m CROSS JOIN message_body_search ON message_body_search.rowid = m.id
            WHERE m.tenant_id = ?1 AND m.ticket_id = \(ticket) AND message_body_search MATCH ?3
            ORDER BY m.id LIMIT 1
            """
        case .postgres:
            """
            SELECT ts_headline('deskgate_search', m.body, websearch_to_tsquery('deskgate_search', ?3), \(Self.headlineOptions))
            FROM messages m
            WHERE m.tenant_id = ?1 AND m.ticket_id = \(ticket) AND deskgate_search_vector(m.body) @@ websearch_to_tsquery('deskgate_search', ?3)
            ORDER BY m.id LIMIT 1
            """
        }
    }

    /// The subject of the ticket in column `ticket` with a match of `?3` in brackets (`?1`, the
    /// tenant, is checked where a tenant column is at hand).
    private func subjectSnippet(ticket: String) -> String {
        switch dialect {
        case .sqlite:
            """
            SELECT snippet(ticket_subject_search, 0, '[', ']', '…', 12) FROM ticket_subject_search
            WHERE ticket_subject_search MATCH ?3 AND rowid = \(ticket)
            """
        case .postgres:
            """
            SELECT ts_headline('deskgate_search', subject, websearch_to_tsquery('deskgate_search', ?3), \(Self.headlineOptions))
            FROM tickets WHERE tenant_id = ?1 AND id = \(ticket) AND deskgate_search_vector(subject) @@ websearch_to_tsquery('deskgate_search', ?3)
            """
        }
    }

    /// The snippets of a page in one statement: for each ticket id of the JSON array `?2`,
    /// `bodySnippet`'s answer, else `subjectSnippet`'s (tenant `?1`, query `?3`). One round trip
    /// instead of one or two per result: 20 results spent 4–11 ms on them on PostgreSQL.
    var pageSnippets: String {
        """
        SELECT x.value, COALESCE((\(bodySnippet(ticket: "x.value"))), (\(subjectSnippet(ticket: "x.value"))))
        FROM (\(dialect.integers(inJSONArray: "?2"))) AS x
        """
    }

    /// FTS5's `snippet(…, 12)` in `ts_headline`'s terms: at most 12 words, brackets around hits.
    private static let headlineOptions = "'StartSel=[, StopSel=], MaxWords=12, MinWords=4, ShortWord=0'"
}
