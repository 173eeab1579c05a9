public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

/// Replies and internal notes on a tenant's tickets.
public struct MessageRepository: Sendable {
    public let scope: TenantScope

    /// Appends a message and touches the ticket's updated_at. Returns nil when the ticket is
    /// not in this tenant (the same answer as for a missing ticket: no existence oracle).
    public func append(_ message: NewMessage, in tx: WriteTransaction) throws -> Message? {
        let db = tx.connection
        let now = message.createdAt ?? WallClock.milliseconds()
        // The UPDATE doubles as the scoped existence check.
        let touched = try db.run("UPDATE tickets SET updated_at = \(db.dialect.greatest("updated_at", "?3")) WHERE tenant_id = ?1 AND id = ?2",
                                 scope.tenantKey, message.ticketID, now)
        guard touched > 0 else { return nil }
        return try db.queryOne("""
            INSERT INTO messages (tenant_id, ticket_id, kind, author_type, author_user_id, author_contact_id, body, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING \(Message.columns)
            """, bindings: Self.bindings(message, tenantID: scope.tenantKey, now: now)) { try Message(row: $0) }
    }

    /// The bulk path: inserts without the per-message ticket touch (the composite foreign key
    /// still refuses a ticket of another tenant). Returns the new ids in order.
    public func appendBatch(_ messages: [NewMessage], in tx: WriteTransaction) throws -> [Int64] {
        let db = tx.connection
        let now = WallClock.milliseconds()
        var ids: [Int64] = []
        ids.reserveCapacity(messages.count)
        for message in messages {
            ids.append(try db.queryOne(Self.insertReturningID, bindings: Self.bindings(message, tenantID: scope.tenantKey, now: now)) {
                $0.int64(0)
            }!)
        }
        return ids
    }

    /// Oldest first, `limit` at a time; pass the page's cursor to continue.
    public func list(ticketID: Int64, after cursor: Int64? = nil, limit: Int = 50, on db: any SQLConnection) throws -> Page<Message> {
        let messages = try db.queryAll("""
            SELECT \(Message.columns) FROM messages WHERE tenant_id = ?1 AND ticket_id = ?2 AND id > ?3
            ORDER BY id LIMIT ?4
            """, scope.tenantKey, ticketID, cursor ?? 0, limit) { try Message(row: $0) }
        return Page(items: messages, nextCursor: messages.count == limit ? messages.last?.id : nil)
    }

    public func count(ticketID: Int64, on db: any SQLConnection) throws -> Int {
        try db.queryOne("SELECT count(*) FROM messages WHERE tenant_id = ?1 AND ticket_id = ?2",
                        scope.tenantKey, ticketID) { $0.int(0) } ?? 0
    }

    private static let insertReturningID = """
        INSERT INTO messages (tenant_id, ticket_id, kind, author_type, author_user_id, author_contact_id, body, created_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id
        """

    private static func bindings(_ m: NewMessage, tenantID: RowTenant, now: Int64) -> [any SQLBindable] {
        [tenantID, m.ticketID, m.kind, m.author.typeName, m.author.userID, m.author.contactID, m.body, m.createdAt ?? now]
    }
}

extension MessageRepository {
    /// The newest `limit` messages, returned oldest first (a thread's tail, read in order).
    public func latest(ticketID: Int64, limit: Int, on db: any SQLConnection) throws -> [Message] {
        try db.queryAll("""
            SELECT \(Message.columns) FROM messages WHERE tenant_id = ?1 AND ticket_id = ?2 ORDER BY id DESC LIMIT ?3
            """, scope.tenantKey, ticketID, limit) { try Message(row: $0) }.reversed()
    }
}
