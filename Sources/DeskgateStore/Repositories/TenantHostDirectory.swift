public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

/// Global access to `tenant_hosts` (migration 21), like `TenantDirectory`: the host of a
/// request names its tenant, so the lookup runs before any tenant is known and reads across
/// the row-level-security wall. Host names arrive validated and lowercase (`TenantHostName`).
public struct TenantHostDirectory: Sendable {
    public init() {}

    private static let columns = "h.host, h.tenant_id, t.slug, h.created_at"

    private static func host(_ row: any SQLRow) -> TenantHost {
        TenantHost(host: row.string(0), tenantID: row.int64(1), tenantSlug: row.string(2), createdAt: row.int64(3))
    }

    /// The tenant a host name reaches, whatever its status (the tenant gate decides the rest).
    public func tenant(forHost host: String, on db: any SQLConnection) throws -> Tenant? {
        try db.acrossTenants {
            try db.queryOne("""
                SELECT t.id, t.slug, t.name, t.status, t.settings_json, t.created_at
                FROM tenant_hosts h JOIN tenants t ON t.id = h.tenant_id WHERE h.host = ?1
                """, host) { try Tenant(row: $0) }
        }
    }

    public func byHost(_ host: String, on db: any SQLConnection) throws -> TenantHost? {
        try db.acrossTenants {
            try db.queryOne("SELECT \(Self.columns) FROM tenant_hosts h JOIN tenants t ON t.id = h.tenant_id WHERE h.host = ?1",
                            host, map: Self.host)
        }
    }

    /// Every host, or one tenant's, ordered by tenant slug then host.
    public func list(tenantID: Int64? = nil, on db: any SQLConnection) throws -> [TenantHost] {
        try db.acrossTenants {
            if let tenantID {
                return try db.queryAll("""
                    SELECT \(Self.columns) FROM tenant_hosts h JOIN tenants t ON t.id = h.tenant_id
                    WHERE h.tenant_id = ?1 ORDER BY h.host
                    """, tenantID, map: Self.host)
            }
            return try db.queryAll("""
                SELECT \(Self.columns) FROM tenant_hosts h JOIN tenants t ON t.id = h.tenant_id ORDER BY t.slug, h.host
                """, map: Self.host)
        }
    }

    /// Adds `host` for the tenant. The caller checked that no tenant holds it; the primary key
    /// still refuses a race.
    public func add(_ host: String, tenant: Tenant, at time: Int64? = nil, in tx: WriteTransaction) throws -> TenantHost {
        let created = time ?? WallClock.milliseconds()
        _ = try tx.connection.acrossTenants {
            try tx.connection.run("INSERT INTO tenant_hosts (host, tenant_id, created_at) VALUES (?1, ?2, ?3)",
                                  host, tenant.id, created)
        }
        return TenantHost(host: host, tenantID: tenant.id, tenantSlug: tenant.slug, createdAt: created)
    }

    /// Removes `host` from the tenant; false when the tenant does not hold it.
    public func remove(_ host: String, tenantID: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.acrossTenants {
            try tx.connection.run("DELETE FROM tenant_hosts WHERE host = ?1 AND tenant_id = ?2", host, tenantID) > 0
        }
    }
}
