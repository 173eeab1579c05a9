public import DeskgateCrypto
public import DeskgateStore
public import DeskgateIdentity
public import DeskgateModel
import DeskgateSystem

/// A new agent as an operator describes it.
public struct AgentDraft: Sendable {
    public var email: String
    public var name: String
    public var role: UserRole
    public var departments: [String]
    /// Nil: the user cannot log in with a password until one is set.
    public var password: String?
    /// Alias, label, language and phone.
    public var profile: UserProfileEdit

    public init(email: String, name: String, role: UserRole, departments: [String] = [], password: String? = nil,
                profile: UserProfileEdit = UserProfileEdit()) {
        self.profile = profile
        self.email = email
        self.name = name
        self.role = role
        self.departments = departments
        self.password = password
    }
}

/// An agent with the names of their departments, as listings show them.
public struct AgentSummary: Sendable, Equatable {
    public let user: User
    public let departments: [String]
}

/// Users and departments of one tenant.
public struct DirectoryService: Sendable {
    let database: Database
    let scope: TenantScope
    let passwords: PasswordHasher

    public init(database: Database, scope: TenantScope, passwords: PasswordHasher = PasswordHasher()) {
        self.database = database
        self.scope = scope
        self.passwords = passwords
    }

    public func createDepartment(name: String) throws -> Department {
        let name = try Validation.name(name, maxLength: 100)
        let scope = self.scope
        return try database.write { tx in
            if try scope.departments.byName(name, on: tx.connection) != nil {
                throw DeskError.conflict("department '\(name)' already exists")
            }
            return try scope.departments.create(name: name, in: tx)
        }
    }

    public func departments() throws -> [Department] {
        let scope = self.scope
        return try database.withReader { try scope.departments.list(on: $0) }
    }

    /// Hashes the password before entering the write queue: scrypt must never hold the writer.
    /// `who` is the admin creating the agent on the admin pages (re-checked in the transaction
    /// and recorded as an `agent_created` security event) or the operator's CLI.
    public func createAgent(_ draft: AgentDraft, by who: ActorRef = .operator) throws -> AgentSummary {
        let email = try Validation.email(draft.email)
        let name = try Validation.name(draft.name)
        let hash = try draft.password.map { try passwords.hash(Validation.password($0)) }
        let departmentNames = try draft.departments.map { try Validation.name($0, field: "department", maxLength: 100) }
        let profile = try draft.profile.applied(to: UserProfile())
        let scope = self.scope
        let role = draft.role
        return try database.write { tx in
            if case .agent(let adminID) = who { try AgentAdministration.requireAdmin(adminID, scope: scope, on: tx.connection) }
            if try scope.users.byEmail(email, on: tx.connection) != nil {
                throw DeskError.conflict("a user with email \(email) already exists")
            }
            var departmentIDs: [Int64] = []
            for departmentName in departmentNames {
                guard let department = try scope.departments.byName(departmentName, on: tx.connection) else {
                    throw DeskError.invalid(field: "department", reason: "no department named '\(departmentName)'")
                }
                departmentIDs.append(department.id)
            }
            let user = try scope.users.create(NewUser(email: email, name: name, role: role, passwordHash: hash,
                                                      creatorID: who.userID, profile: profile), in: tx)
            for (index, departmentID) in departmentIDs.enumerated() {
                _ = try scope.departments.addMember(departmentID: departmentID, userID: user.id, isPrimary: index == 0, in: tx)
            }
            if let actorID = who.userID {
                try SecurityEvent.record("agent_created", tenant: scope, actor: actorID, subject: user.id,
                                         detail: [("role", role.rawValue)], address: nil, at: WallClock.milliseconds(), in: tx)
            }
            return AgentSummary(user: user, departments: departmentNames)
        }
    }

    public func agents() throws -> [AgentSummary] {
        let scope = self.scope
        return try database.withReader { db in
            try AgentDirectory.list(scope, on: db).map { AgentSummary(user: $0.user, departments: $0.departments.map(\.name)) }
        }
    }
}
