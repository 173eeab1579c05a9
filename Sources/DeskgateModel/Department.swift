public struct Department: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public var name: String
    public let createdAt: Int64

    public init(id: Int64, tenantID: Int64, name: String, createdAt: Int64) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.createdAt = createdAt
    }
}

public struct DepartmentMember: Sendable, Equatable {
    public let departmentID: Int64
    public let userID: Int64
    public let isPrimary: Bool

    public init(departmentID: Int64, userID: Int64, isPrimary: Bool) {
        self.departmentID = departmentID
        self.userID = userID
        self.isPrimary = isPrimary
    }
}
