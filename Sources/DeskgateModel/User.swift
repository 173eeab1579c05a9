public enum UserRole: String, Sendable, CaseIterable {
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

    public init(id: Int64, tenantID: Int64, email: String, name: String, alias: String?, role: UserRole,
                passwordHash: String?, isActive: Bool, createdAt: Int64, lastLoginAt: Int64?) {
        self.id = id
        self.tenantID = tenantID
        self.email = email
        self.name = name
        self.alias = alias
        self.role = role
        self.passwordHash = passwordHash
        self.isActive = isActive
        self.createdAt = createdAt
        self.lastLoginAt = lastLoginAt
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
