/// One custom domain: a host name that reaches its tenant without the `/t/{slug}` prefix.
public struct TenantHost: Sendable, Equatable {
    public let host: String
    public let tenantID: Int64
    public let tenantSlug: String
    public let createdAt: Int64

    public init(host: String, tenantID: Int64, tenantSlug: String, createdAt: Int64) {
        self.host = host
        self.tenantID = tenantID
        self.tenantSlug = tenantSlug
        self.createdAt = createdAt
    }
}
