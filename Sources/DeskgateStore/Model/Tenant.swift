public enum TenantStatus: String, Sendable, CaseIterable, SQLBindable {
    case active, suspended
}

/// A customer organisation: its own OAuth issuer, its own agents and tickets.
public struct Tenant: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let slug: String
    public var name: String
    public var status: TenantStatus
    /// Tenant settings, MCP ones included (which tool families are exposed, …).
    public var settingsJSON: String
    public let createdAt: Int64

    /// The handle through which this tenant's rows are reached.
    public var scope: TenantScope { TenantScope(tenantID: id, slug: slug) }

    static let columns = "id, slug, name, status, settings_json, created_at"

    init(row: Statement) throws {
        id = row.int64(0)
        slug = row.string(1)
        name = row.string(2)
        status = try row.value(TenantStatus.self, 3)
        settingsJSON = row.string(4)
        createdAt = row.int64(5)
    }
}
