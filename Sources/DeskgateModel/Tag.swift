public struct Tag: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public let name: String
    public let createdAt: Int64

    public init(id: Int64, tenantID: Int64, name: String, createdAt: Int64) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.createdAt = createdAt
    }
}
