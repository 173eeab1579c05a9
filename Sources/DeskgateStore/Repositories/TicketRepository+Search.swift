/// Filtered, permission-aware ticket search, newest-updated first with a keyset cursor.
///
/// How a page is found depends on what narrows it most, because "newest first, LIMIT n" is
/// only cheap when rows arrive already in that order:
/// - By default SQLite walks one of the `(…, updated_at, id)` indexes of migration 2 and stops
///   after `limit` rows that pass every other filter.
/// - A search word or tag that matches few tickets becomes the driving set instead: those
///   tickets are fetched and sorted (a small sort), rather than scanning the whole tenant to
///   find the few that match.
/// - A common word is checked per candidate row with rowid probes into the FTS5 indexes, so
///   its (large) match set is never materialised.
extension TicketRepository {
    /// Above this many matching rows a word or tag is cheaper to check per row than to sort.
    static let drivingSetLimit = 20_000

    public func find(_ filter: TicketFilter, on db: SQLiteConnection) throws -> [TicketMatch] {
        let words = Self.searchWords(filter.text ?? "")
        var query = TicketSearchSQL(tenantID: scope.tenantID)

        // Pick the driving set, if any: the rarest word, else a rare tag.
        var probeWords = words
        if !words.isEmpty {
            var rarest: (word: String, count: Int)?
            for word in words {
                let count = try matchCount(word, on: db)
                if count == 0 { return [] }  // an AND with an empty set
                if count < rarest?.count ?? Int.max { rarest = (word, count) }
            }
            if let rarest, rarest.count <= Self.drivingSetLimit {
                query.driveByWord(rarest.word)
                probeWords.removeAll { $0 == rarest.word }
            }
        }
        if let tagID = filter.tagID {
            if !query.hasDrivingSet, try taggedCount(tagID, on: db) <= Self.drivingSetLimit {
                query.driveByTag(tagID)
            } else {
                query.requireTag(tagID)
            }
        }
        for word in probeWords { query.requireWord(word) }

        switch filter.visibility {
        case .all: break
        case .departments(let ids):
            if ids.isEmpty { return [] }
            query.restrictToDepartments(ids)
        case .departmentsOrParticipant(let ids, let userID):
            query.restrictToDepartmentsOrParticipant(ids, userID: userID)
        }
        query.apply(filter)

        let tickets = try db.queryAll(query.sql, bindings: query.bindings) { try Ticket(row: $0) }
        guard !words.isEmpty else { return tickets.map { TicketMatch(ticket: $0, snippet: nil) } }
        let anyWord = words.joined(separator: " OR ")
        return try tickets.map { TicketMatch(ticket: $0, snippet: try snippet(ticketID: $0.id, query: anyWord, on: db)) }
    }

    /// Matches of one quoted word in subjects plus message bodies, counted up to just past
    /// `drivingSetLimit` (all tenants: FTS5 holds none; only the plan choice depends on it).
    private func matchCount(_ word: String, on db: SQLiteConnection) throws -> Int {
        let cap = Self.drivingSetLimit + 1
        let subjects = try db.queryOne("""
            SELECT count(*) FROM (SELECT 1 FROM ticket_subject_search WHERE ticket_subject_search MATCH ?1 LIMIT ?2)
            """, word, cap) { $0.int(0) } ?? 0
        let bodies = try db.queryOne("""
            SELECT count(*) FROM (SELECT 1 FROM message_body_search WHERE message_body_search MATCH ?1 LIMIT ?2)
            """, word, cap) { $0.int(0) } ?? 0
        return subjects + bodies
    }

    private func taggedCount(_ tagID: Int64, on db: SQLiteConnection) throws -> Int {
        try db.queryOne("""
            SELECT count(*) FROM (SELECT 1 FROM ticket_tags WHERE tenant_id = ?1 AND tag_id = ?2 LIMIT ?3)
            """, scope.tenantID, tagID, Self.drivingSetLimit + 1) { $0.int(0) } ?? 0
    }

    /// A few words around the first match, preferring a message (the subject is shown anyway).
    private func snippet(ticketID: Int64, query: String, on db: SQLiteConnection) throws -> String? {
        if let body = try db.queryOne("""
            SELECT snippet(message_body_search, 0, '[', ']', '…', 12)
            FROM messages m CROSS JOIN message_body_search ON message_body_search.rowid = m.id
            WHERE m.tenant_id = ?1 AND m.ticket_id = ?2 AND message_body_search MATCH ?3
            ORDER BY m.id LIMIT 1
            """, scope.tenantID, ticketID, query, map: { $0.string(0) }) {
            return body
        }
        return try db.queryOne("""
            SELECT snippet(ticket_subject_search, 0, '[', ']', '…', 12) FROM ticket_subject_search
            WHERE ticket_subject_search MATCH ?1 AND rowid = ?2
            """, query, ticketID) { $0.string(0) }
    }
}
