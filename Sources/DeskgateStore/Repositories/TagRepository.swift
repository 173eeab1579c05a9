public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

/// A tenant's tags; names are unique per tenant, case-insensitively.
public struct TagRepository: Sendable {
    public let scope: TenantScope

    /// The tag with this name, created if missing.
    public func ensure(name: String, in tx: WriteTransaction) throws -> Tag {
        // DO UPDATE (a no-op) rather than DO NOTHING, so RETURNING yields the existing row too.
        try tx.connection.queryOne("""
            INSERT INTO tags (tenant_id, name, created_at) VALUES (?1, ?2, ?3)
            ON CONFLICT (tenant_id, name) DO UPDATE SET name = tags.name
            RETURNING \(Tag.columns)
            """, scope.tenantKey, name, WallClock.milliseconds()) { Tag(row: $0) }!
    }

    public func byName(_ name: String, on db: any SQLConnection) throws -> Tag? {
        try db.queryOne("SELECT \(Tag.columns) FROM tags WHERE tenant_id = ?1 AND name = ?2",
                        scope.tenantKey, name) { Tag(row: $0) }
    }

    public func list(on db: any SQLConnection) throws -> [Tag] {
        try db.queryAll("SELECT \(Tag.columns) FROM tags WHERE tenant_id = ?1 ORDER BY name",
                        scope.tenantKey) { Tag(row: $0) }
    }

    /// Returns false when the ticket or the tag is not in this tenant; attaching twice is fine.
    @discardableResult
    public func attach(tagID: Int64, toTicket ticketID: Int64, in tx: WriteTransaction) throws -> Bool {
        let db = tx.connection
        let bothHere = try db.queryOne("""
            SELECT 1 FROM tickets t, tags g WHERE t.tenant_id = ?1 AND t.id = ?2 AND g.tenant_id = ?1 AND g.id = ?3
            """, scope.tenantKey, ticketID, tagID) { _ in true } ?? false
        guard bothHere else { return false }
        try db.run("""
            INSERT INTO ticket_tags (tenant_id, ticket_id, tag_id, created_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT DO NOTHING
            """, scope.tenantKey, ticketID, tagID, WallClock.milliseconds())
        return true
    }

    /// Returns false when the tag was not on the ticket (or either is not in this tenant).
    @discardableResult
    public func detach(tagID: Int64, fromTicket ticketID: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("DELETE FROM ticket_tags WHERE tenant_id = ?1 AND ticket_id = ?2 AND tag_id = ?3",
                              scope.tenantKey, ticketID, tagID) > 0
    }

    public func tags(forTicket ticketID: Int64, on db: any SQLConnection) throws -> [Tag] {
        // Pinned: the ticket's rows by primary key, then each tag by key, whatever the statistics.
        try db.queryAll("""
            SELECT g.id, g.tenant_id, g.name, g.created_at FROM ticket_tags tt\(db.dialect.indexedBy("sqlite_autoindex_ticket_tags_1"))
            \(db.dialect.orderedJoin) tags g\(db.dialect.notIndexed) ON g.tenant_id = tt.tenant_id AND g.id = tt.tag_id
            WHERE tt.tenant_id = ?1 AND tt.ticket_id = ?2 ORDER BY g.name
            """, scope.tenantKey, ticketID) { Tag(row: $0) }
    }
}
