public enum TenantStatus: String, Sendable, CaseIterable {
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

    public init(id: Int64, slug: String, name: String, status: TenantStatus, settingsJSON: String, createdAt: Int64) {
        self.id = id
        self.slug = slug
        self.name = name
        self.status = status
        self.settingsJSON = settingsJSON
        self.createdAt = createdAt
    }
}
