public enum UserRole: String, Sendable, CaseIterable, SQLBindable {
    case admin, agent, viewer
}

/// An agent (or admin, or viewer) of one tenant.
public struct User: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    /// Always lowercased; unique within the tenant.
    public var email: String
    public var name: String
    public var alias: String?
    public var role: UserRole
    /// The password hash string (never the password); nil for users who cannot log in.
    public var passwordHash: String?
    public var isActive: Bool
    public let createdAt: Int64
    public var lastLoginAt: Int64?

    static let columns = "id, tenant_id, email, name, alias, role, password_hash, is_active, created_at, last_login_at"

    init(row: Statement) throws {
        id = row.int64(0)
        tenantID = row.int64(1)
        email = row.string(2)
        name = row.string(3)
        alias = row.optionalString(4)
        role = try row.value(UserRole.self, 5)
        passwordHash = row.optionalString(6)
        isActive = row.bool(7)
        createdAt = row.int64(8)
        lastLoginAt = row.optionalInt64(9)
    }
}

public struct NewUser: Sendable {
    public var email: String
    public var name: String
    public var alias: String?
    public var role: UserRole
    public var passwordHash: String?
    public var isActive: Bool

    public init(email: String, name: String, alias: String? = nil, role: UserRole,
                passwordHash: String? = nil, isActive: Bool = true) {
        self.email = email
        self.name = name
        self.alias = alias
        self.role = role
        self.passwordHash = passwordHash
        self.isActive = isActive
    }
}
