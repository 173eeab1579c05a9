public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

/// Global access to the tenant list: the one place that reads `tenants` without a scope,
/// because it is where scopes come from.
public struct TenantDirectory: Sendable {
    public init() {}

    public func create(slug: String, name: String, settingsJSON: String = "{}", in tx: WriteTransaction) throws -> Tenant {
        guard Self.isValidSlug(slug) else {
            throw StoreError.invalidInput("tenant slug must be 1-63 characters of a-z, 0-9 and '-'")
        }
        let db = tx.connection
        let tenant = try db.queryOne("""
            INSERT INTO tenants (slug, name, status, settings_json, created_at) VALUES (?1, ?2, 'active', ?3, ?4)
            RETURNING \(Tenant.columns)
            """, slug, name, settingsJSON, WallClock.milliseconds()) { try Tenant(row: $0) }!
        try db.run("INSERT INTO tenant_sequences (tenant_id, name, last_value) VALUES (?1, 'ticket', 0)", tenant.id)
        return tenant
    }

    public func list(on db: any SQLConnection) throws -> [Tenant] {
        try db.queryAll("SELECT \(Tenant.columns) FROM tenants ORDER BY slug") { try Tenant(row: $0) }
    }

    public func bySlug(_ slug: String, on db: any SQLConnection) throws -> Tenant? {
        try db.queryOne("SELECT \(Tenant.columns) FROM tenants WHERE slug = ?1", slug) { try Tenant(row: $0) }
    }

    public func byID(_ id: Int64, on db: any SQLConnection) throws -> Tenant? {
        try db.queryOne("SELECT \(Tenant.columns) FROM tenants WHERE id = ?1", id) { try Tenant(row: $0) }
    }

    /// Suspends or resumes a tenant. Bumps the revocation counter (trigger), so resource
    /// servers stop honouring its cached tokens at once. Returns false for an unknown tenant.
    @discardableResult
    public func setStatus(_ status: TenantStatus, forSlug slug: String, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("UPDATE tenants SET status = ?1 WHERE slug = ?2", status, slug) > 0
    }

    public func setSettings(_ settingsJSON: String, forSlug slug: String, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("UPDATE tenants SET settings_json = ?1 WHERE slug = ?2", settingsJSON, slug) > 0
    }

    static func isValidSlug(_ slug: String) -> Bool {
        (1...63).contains(slug.utf8.count)
            && slug.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}
