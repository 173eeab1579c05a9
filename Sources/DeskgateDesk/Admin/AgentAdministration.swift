public import DeskgateSQL
public import DeskgateStore
public import DeskgateIdentity
public import DeskgateModel
public import DeskgateSystem

/// An agent as the admin pages list them: role, departments and live credentials.
public struct AgentOverview: Sendable, Equatable {
    public let user: User
    public let departments: [String]
    public let activeTokens: Int
    public let authorizedApps: Int
}

/// What an admin does to other agents: list them with their credentials, change a role,
/// deactivate. Every change re-reads the admin inside its transaction (a demoted or
/// deactivated admin cannot act on a stale page) and is recorded in the security log under
/// the admin's name (`ActorRef.operator`: the CLI, recorded without an actor). Creating
/// agents is `DirectoryService.createAgent(_:by:)`.
public struct AgentAdministration: Sendable {
    let database: Database
    let scope: TenantScope
    let clock: @Sendable () -> Int64

    public init(database: Database, scope: TenantScope, clock: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() }) {
        self.database = database
        self.scope = scope
        self.clock = clock
    }

    public func overview() throws -> [AgentOverview] {
        try database.withReader { try overview(on: $0) }
    }

    /// On a read connection the caller holds (a page's).
    public func overview(on db: any SQLConnection) throws -> [AgentOverview] {
        let tokens = try scope.personalAccessTokens.activeCounts(now: clock(), on: db)
        let apps = try scope.oauthGrants.liveCounts(on: db)
        return try AgentDirectory.list(scope, on: db).map {
            AgentOverview(user: $0.user, departments: $0.departments.map(\.name),
                          activeTokens: tokens[$0.user.id] ?? 0, authorizedApps: apps[$0.user.id] ?? 0)
        }
    }

    /// One agent with every personal access token (revoked and expired ones too, newest
    /// first) and their live authorized apps: the admin's page about them.
    public struct Credentials: Sendable, Equatable {
        public let agent: AgentOverview
        public let tokens: [PersonalAccessTokenSummary]
        public let apps: [AuthorizedApp]
    }

    public func credentials(of userID: Int64, on db: any SQLConnection) throws -> Credentials {
        guard let user = try scope.users.byID(userID, on: db) else { throw DeskError.notFound("agent #\(userID)") }
        let now = clock()
        let departments = try scope.departments.list(on: db)
        let memberships = try scope.departments.memberships(ofUser: user.id, on: db).map(\.departmentID)
        let tokens = try scope.personalAccessTokens.list(forUser: user.id, on: db).reversed()
            .map { PersonalAccessTokenSummary($0, userEmail: user.email, now: now) }
        var names: [String: String] = [:]
        let apps = try scope.oauthGrants.listLive(userID: user.id, on: db).map { grant in
            if names[grant.clientID] == nil {
                let client = try scope.oauthClients.byClientID(grant.clientID, on: db)
                names[grant.clientID] = client.map { $0.name.isEmpty ? $0.clientID : $0.name } ?? grant.clientID
            }
            return AuthorizedApp(grantID: grant.id, userID: user.id, userEmail: user.email, clientID: grant.clientID,
                                 clientName: names[grant.clientID]!, scopes: grant.scopes, approvedAt: grant.createdAt,
                                 lastUsedAt: grant.lastUsedAt)
        }
        let agent = AgentOverview(user: user, departments: memberships.compactMap { id in departments.first { $0.id == id }?.name },
                                  activeTokens: tokens.filter { $0.status == .active }.count, authorizedApps: apps.count)
        return Credentials(agent: agent, tokens: tokens, apps: apps)
    }

    /// Changing one's own role is refused (an admin cannot lock themselves out by accident),
    /// and so is demoting the last active admin.
    @discardableResult
    /// Changes the agent's alias, label, language or phone (`edit` says which); an admin may
    /// edit anyone's, their own included. Stamps the record's updated_at.
    public func updateProfile(of userID: Int64, _ edit: UserProfileEdit, by administrator: ActorRef) throws -> User {
        let scope = self.scope, now = clock()
        return try database.write { tx in
            let db = tx.connection
            if case .agent(let adminID) = administrator { try Self.requireAdmin(adminID, scope: scope, on: db) }
            guard let user = try scope.users.byID(userID, on: db) else { throw DeskError.notFound("agent #\(userID)") }
            let profile = try edit.applied(to: user.profile)
            guard profile != user.profile else { return user }
            try scope.users.setProfile(profile, userID: user.id, at: now, in: tx)
            return try scope.users.byID(user.id, on: db)!
        }
    }

    public func changeRole(of userID: Int64, to role: UserRole, by administrator: ActorRef) throws -> User {
        let scope = self.scope, adminID = administrator.userID
        let now = clock()
        return try database.write { tx in
            let db = tx.connection
            if case .agent(let adminID) = administrator { try Self.requireAdmin(adminID, scope: scope, on: db) }
            guard let user = try scope.users.byID(userID, on: db) else { throw DeskError.notFound("agent #\(userID)") }
            guard user.id != adminID else {
                throw DeskError.invalid(field: "role", reason: "you cannot change your own role; ask another admin")
            }
            guard user.role != role else { return user }
            if user.role == .admin, user.isActive, try scope.users.activeAdminCount(on: db) <= 1 {
                throw DeskError.invalid(field: "role", reason: "\(user.email) is the last active admin of the tenant")
            }
            try scope.users.setRole(role, userID: user.id, in: tx)
            try SecurityEvent.record("role_changed", tenant: scope, actor: adminID, subject: user.id,
                                     detail: [("from", user.role.rawValue), ("to", role.rawValue)], address: nil, at: now, in: tx)
            return try scope.users.byID(user.id, on: db)!
        }
    }

    /// What a deactivation took away.
    public struct Deactivation: Sendable, Equatable {
        public let user: User
        public let revokedTokens: Int
        public let revokedApps: Int
        public let endedSessions: Int
    }

    /// Deactivates the agent and, in the same transaction, revokes their personal access
    /// tokens, their authorized apps (grants with their refresh tokens) and their browser
    /// sessions. The triggers bump the revocation counter, so every resource server refuses
    /// their tokens on the next request.
    @discardableResult
    public func deactivate(_ userID: Int64, by administrator: ActorRef) throws -> Deactivation {
        let scope = self.scope, adminID = administrator.userID
        let now = clock()
        return try database.write { tx in
            let db = tx.connection
            if case .agent(let adminID) = administrator { try Self.requireAdmin(adminID, scope: scope, on: db) }
            guard let user = try scope.users.byID(userID, on: db) else { throw DeskError.notFound("agent #\(userID)") }
            guard user.id != adminID else { throw DeskError.conflict("you cannot deactivate your own account") }
            guard user.isActive else { throw DeskError.conflict("\(user.email) is already deactivated") }
            let tokens = try scope.personalAccessTokens.revokeAll(forUser: user.id, by: adminID, at: now, in: tx)
            let grants = try scope.oauthGrants.listLive(userID: user.id, on: db)
            for grant in grants { try scope.oauthGrants.revoke(grantID: grant.id, at: now, in: tx) }
            let sessions = try scope.loginSessions.revokeAll(userID: user.id, at: now, in: tx)
            try scope.users.setActive(false, userID: user.id, in: tx)
            try SecurityEvent.record("agent_deactivated", tenant: scope, actor: adminID, subject: user.id,
                                     detail: [("revoked_tokens", String(tokens)), ("revoked_apps", String(grants.count)),
                                              ("ended_sessions", String(sessions))], address: nil, at: now, in: tx)
            return Deactivation(user: try scope.users.byID(user.id, on: db)!, revokedTokens: tokens,
                                revokedApps: grants.count, endedSessions: sessions)
        }
    }

    /// The acting admin as the database sees it now.
    static func requireAdmin(_ adminID: Int64, scope: TenantScope, on db: any SQLConnection) throws {
        guard let admin = try scope.users.byID(adminID, on: db), admin.isActive, admin.role == .admin else {
            throw DeskError.forbidden("only an active tenant admin can administer agents")
        }
    }
}

extension AgentDirectory {
    /// One agent as `user list` shows them (after a change by the CLI).
    public static func summary(of userID: Int64, scope: TenantScope, database: Database) throws -> AgentSummary {
        try database.withReader { db in
            guard let entry = try list(scope, on: db).first(where: { $0.user.id == userID }) else {
                throw DeskError.notFound("user #\(userID)")
            }
            return AgentSummary(user: entry.user, departments: entry.departments.map(\.name))
        }
    }
}
