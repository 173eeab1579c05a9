/// A person or department as results name them: enough to show, and the id to act on.
public struct PersonRef: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let email: String?
}

public struct DepartmentRef: Sendable, Equatable {
    public let id: Int64
    public let name: String
}
