public import DeskgateStore
public import DeskgateModel

/// Creating and administering tenants (operator actions: CLI today, admin API later).
public struct TenantService: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public func create(slug: String, name: String) throws -> Tenant {
        let slug = try Validation.slug(slug)
        let name = try Validation.name(name)
        return try database.write { tx in
            if try TenantDirectory().bySlug(slug, on: tx.connection) != nil {
                throw DeskError.conflict("tenant '\(slug)' already exists")
            }
            return try TenantDirectory().create(slug: slug, name: name, in: tx)
        }
    }

    public func list() throws -> [Tenant] {
        try database.withReader { try TenantDirectory().list(on: $0) }
    }

    public func find(_ slug: String) throws -> Tenant {
        guard let tenant = try database.withReader({ try TenantDirectory().bySlug(slug, on: $0) }) else {
            throw DeskError.notFound("tenant '\(slug)'")
        }
        return tenant
    }

    /// Suspended tenants keep their data; logins, token issuance and MCP calls are refused.
    public func setStatus(_ status: TenantStatus, slug: String) throws -> Tenant {
        try database.write { tx in
            guard try TenantDirectory().setStatus(status, forSlug: slug, in: tx),
                  let tenant = try TenantDirectory().bySlug(slug, on: tx.connection) else {
                throw DeskError.notFound("tenant '\(slug)'")
            }
            return tenant
        }
    }
}
