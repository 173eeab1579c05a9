/// A person or department as results name them: enough to show, and the id to act on.
public struct PersonRef: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let email: String?

    public init(id: Int64, name: String, email: String?) {
        self.id = id
        self.name = name
        self.email = email
    }
}

public struct DepartmentRef: Sendable, Equatable {
    public let id: Int64
    public let name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}
