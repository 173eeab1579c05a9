public struct Department: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public var name: String
    public let createdAt: Int64

    static let columns = "id, tenant_id, name, created_at"

    init(row: Statement) {
        id = row.int64(0)
        tenantID = row.int64(1)
        name = row.string(2)
        createdAt = row.int64(3)
    }
}

public struct DepartmentMember: Sendable, Equatable {
    public let departmentID: Int64
    public let userID: Int64
    public let isPrimary: Bool
}

/// A customer: raises tickets and writes replies, never logs in.
public struct Contact: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public var email: String?
    public var name: String
    public let createdAt: Int64

    static let columns = "id, tenant_id, email, name, created_at"

    init(row: Statement) {
        id = row.int64(0)
        tenantID = row.int64(1)
        email = row.optionalString(2)
        name = row.string(3)
        createdAt = row.int64(4)
    }
}

public struct Tag: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public let name: String
    public let createdAt: Int64

    static let columns = "id, tenant_id, name, created_at"

    init(row: Statement) {
        id = row.int64(0)
        tenantID = row.int64(1)
        name = row.string(2)
        createdAt = row.int64(3)
    }
}
