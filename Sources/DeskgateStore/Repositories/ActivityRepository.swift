public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

/// The history of changes: who, through which channel and credential, what, before/after.
public struct ActivityRepository: Sendable {
    public let scope: TenantScope

    /// Appends an entry. A ticket or actor of another tenant is refused by the composite
    /// foreign keys (a constraint violation rolls back the caller's job).
    public func append(_ entry: NewActivity, in tx: WriteTransaction) throws -> ActivityEntry {
        try tx.connection.queryOne("""
            INSERT INTO activity (tenant_id, ticket_id, actor_user_id, via, token_id, client_id, action,
                                  before_json, after_json, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING \(ActivityEntry.columns)
            """, scope.tenantKey, entry.ticketID, entry.actorUserID, entry.via, entry.tokenID, entry.clientID,
            entry.action, entry.beforeJSON, entry.afterJSON, entry.createdAt ?? WallClock.milliseconds()) {
            try ActivityEntry(row: $0)
        }!
    }

    /// The newest `limit` entries of a ticket, oldest first among them.
    public func latest(ticketID: Int64, limit: Int, on db: any SQLConnection) throws -> [ActivityEntry] {
        try db.queryAll("""
            SELECT \(ActivityEntry.columns) FROM activity WHERE tenant_id = ?1 AND ticket_id = ?2
            ORDER BY id DESC LIMIT ?3
            """, scope.tenantKey, ticketID, limit) { try ActivityEntry(row: $0) }.reversed()
    }

    /// Oldest first, `limit` at a time; pass the page's cursor to continue.
    public func list(ticketID: Int64, after cursor: Int64? = nil, limit: Int = 50, on db: any SQLConnection) throws -> Page<ActivityEntry> {
        let entries = try db.queryAll("""
            SELECT \(ActivityEntry.columns) FROM activity WHERE tenant_id = ?1 AND ticket_id = ?2 AND id > ?3
            ORDER BY id LIMIT ?4
            """, scope.tenantKey, ticketID, cursor ?? 0, limit) { try ActivityEntry(row: $0) }
        return Page(items: entries, nextCursor: entries.count == limit ? entries.last?.id : nil)
    }
}
