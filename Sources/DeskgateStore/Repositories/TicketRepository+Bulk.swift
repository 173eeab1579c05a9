import DeskgateSQL

extension TicketRepository {
    /// A bulk write of new tickets with their messages (demo data): `body` writes them and
    /// returns the new tickets' ids. On SQLite their search documents are then written once,
    /// in ticket order, instead of row by row as each message arrives (migration 14, which
    /// says why that matters). Call it inside one write job; the switch never outlives it.
    public func bulkWrite(in tx: WriteTransaction, _ body: () throws -> [Int64]) throws -> [Int64] {
        let db = tx.connection
        guard db.dialect == .sqlite else { return try body() }
        _ = try db.run("INSERT INTO ticket_words_paused (only) VALUES (1)", bindings: [])
        let ids: [Int64]
        do {
            ids = try body()
        } catch {
            // Whatever the caller does next in this transaction is indexed as usual.
            _ = try? db.run("DELETE FROM ticket_words_paused", bindings: [])
            throw error
        }
        _ = try db.run("DELETE FROM ticket_words_paused", bindings: [])
        guard !ids.isEmpty else { return ids }
        _ = try db.run("""
            INSERT INTO ticket_words (rowid, words)
            SELECT t.id, \(Schema13TicketWords.document("t")) FROM tickets t
            WHERE t.tenant_id = ? AND t.id IN (\(db.dialect.integers(inJSONArray: "?"))) ORDER BY t.id
            """, bindings: [scope.tenantKey, ids.jsonArray])
        return ids
    }
}
