import DeskgateSQL
import DeskgateStore
public import DeskgateModel

/// The operator's custom domains (`deskgate tenant host add|remove|list`, issue 20). A host
/// name reaches one tenant in the whole deployment; the servers read the mapping through
/// `TenantHostMap`, so a change reaches them within its cache lifetime.
public struct TenantHosts: Sendable {
    let database: Database

    public init(storage: Storage) { database = storage.database }

    /// Maps `host` to the tenant `slug`. Adding a host the tenant already holds is a no-op.
    /// Errors: the tenant is unknown, the name is not a valid host, another tenant holds it.
    public func add(_ host: String, to slug: String) throws -> TenantHost {
        let name = try TenantHostName.validate(host)
        return try database.write { tx in
            let tenant = try Self.tenant(slug, on: tx.connection)
            if let held = try TenantHostDirectory().byHost(name, on: tx.connection) {
                guard held.tenantID == tenant.id else {
                    throw DeskError.conflict("host '\(name)' already belongs to tenant '\(held.tenantSlug)'")
                }
                return held
            }
            return try TenantHostDirectory().add(name, tenant: tenant, in: tx)
        }
    }

    /// Removes `host` from the tenant `slug`. Errors: unknown tenant, a host it does not hold.
    public func remove(_ host: String, from slug: String) throws {
        let name = try TenantHostName.validate(host)
        try database.write { tx in
            let tenant = try Self.tenant(slug, on: tx.connection)
            guard try TenantHostDirectory().remove(name, tenantID: tenant.id, in: tx) else {
                throw DeskError.notFound("host '\(name)' of tenant '\(slug)'")
            }
        }
    }

    /// Every host, or the hosts of the tenant `slug` (an unknown tenant is an error).
    public func list(tenant slug: String? = nil) throws -> [TenantHost] {
        try database.withReader { db in
            guard let slug else { return try TenantHostDirectory().list(on: db) }
            return try TenantHostDirectory().list(tenantID: try Self.tenant(slug, on: db).id, on: db)
        }
    }

    private static func tenant(_ slug: String, on db: any SQLConnection) throws -> Tenant {
        guard let tenant = try TenantDirectory().bySlug(slug, on: db) else { throw DeskError.notFound("tenant '\(slug)'") }
        return tenant
    }
}
