/// A customer: raises tickets and writes replies, never logs in.
public struct Contact: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public var email: String?
    public var name: String
    public let createdAt: Int64

    public init(id: Int64, tenantID: Int64, email: String?, name: String, createdAt: Int64) {
        self.id = id
        self.tenantID = tenantID
        self.email = email
        self.name = name
        self.createdAt = createdAt
    }
}
