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
    /// The user who created this one (nil: the operator's CLI, or before schema 12).
    public var creatorID: Int64?
    /// The last change of the record (not of its sign-ins); nil only before schema 12.
    public var updatedAt: Int64?
    /// Free text an admin keeps about the user (Loonflow's `label`).
    public var label: String?
    /// Preferred language, a tag such as "en" or "pt-BR".
    public var lang: String?
    public var phone: String?

    public init(id: Int64, tenantID: Int64, email: String, name: String, alias: String?, role: UserRole,
                passwordHash: String?, isActive: Bool, createdAt: Int64, lastLoginAt: Int64?,
                creatorID: Int64? = nil, updatedAt: Int64? = nil, label: String? = nil, lang: String? = nil,
                phone: String? = nil) {
        self.creatorID = creatorID
        self.updatedAt = updatedAt
        self.label = label
        self.lang = lang
        self.phone = phone
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
    public var creatorID: Int64?
    public var profile: UserProfile

    public init(email: String, name: String, alias: String? = nil, role: UserRole,
                passwordHash: String? = nil, isActive: Bool = true, creatorID: Int64? = nil,
                profile: UserProfile = UserProfile()) {
        self.creatorID = creatorID
        self.profile = profile
        self.email = email
        self.name = name
        self.alias = alias
        self.role = role
        self.passwordHash = passwordHash
        self.isActive = isActive
    }
}

/// The parts of a user record people edit besides name, email and role (`deskgate user
/// update`, the admin agent page). Nil clears a part.
public struct UserProfile: Sendable, Equatable {
    public var alias: String?
    public var label: String?
    public var lang: String?
    public var phone: String?

    public init(alias: String? = nil, label: String? = nil, lang: String? = nil, phone: String? = nil) {
        self.alias = alias
        self.label = label
        self.lang = lang
        self.phone = phone
    }
}

extension User {
    public var profile: UserProfile { UserProfile(alias: alias, label: label, lang: lang, phone: phone) }
}
