public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

/// Customers of a tenant.
public struct ContactRepository: Sendable {
    public let scope: TenantScope

    public func create(email: String?, name: String, in tx: WriteTransaction) throws -> Contact {
        try tx.connection.queryOne("""
            INSERT INTO contacts (tenant_id, email, name, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING \(Contact.columns)
            """, scope.tenantKey, email?.lowercased(), name, WallClock.milliseconds()) { Contact(row: $0) }!
    }

    public func byID(_ id: Int64, on db: any SQLConnection) throws -> Contact? {
        try db.queryOne("SELECT \(Contact.columns) FROM contacts WHERE tenant_id = ?1 AND id = ?2",
                        scope.tenantKey, id) { Contact(row: $0) }
    }

    public func byEmail(_ email: String, on db: any SQLConnection) throws -> Contact? {
        try db.queryOne("SELECT \(Contact.columns) FROM contacts WHERE tenant_id = ?1 AND email = ?2",
                        scope.tenantKey, email.lowercased()) { Contact(row: $0) }
    }
}
