public import DeskgateIdentity
public import DeskgateModel
import DeskgateStore

/// The desk services as the servers call them: through `Storage` and `ReadHandle`, never the
/// store's own types. Each forwards to the service's store-facing form.
extension DeskActor {
    /// The actor for a user the caller has just read in this same read snapshot (an
    /// authenticated token's user): only the memberships are read.
    public static func load(tenant: Tenant, user: User, via: Via, tokenID: Int64? = nil,
                            clientID: String? = nil, on reader: ReadHandle) throws -> DeskActor {
        try load(tenant: tenant.scope, user: user, via: via, tokenID: tokenID, clientID: clientID, on: reader.connection)
    }

    public init(tenant: Tenant, user: User, departmentIDs: [Int64], via: Via, tokenID: Int64? = nil, clientID: String? = nil) {
        self.init(tenant: tenant.scope, user: user, departmentIDs: departmentIDs, via: via, tokenID: tokenID, clientID: clientID)
    }
}

extension TicketService {
    public init(storage: Storage) { self.init(database: storage.database) }

    public func metadata(_ ref: TicketRef, actor: DeskActor, on reader: ReadHandle) throws -> TicketMetadata {
        try metadata(ref, actor: actor, on: reader.connection)
    }

    public func context(_ ref: TicketRef, recentMessages: Int = 5, actor: DeskActor, on reader: ReadHandle) throws -> TicketContext {
        try context(ref, recentMessages: recentMessages, actor: actor, on: reader.connection)
    }

    public func messages(_ ref: TicketRef, cursor: String? = nil, limit: Int = 25, actor: DeskActor,
                         on reader: ReadHandle) throws -> TicketMessagePage {
        try messages(ref, cursor: cursor, limit: limit, actor: actor, on: reader.connection)
    }

    public func activity(_ ref: TicketRef, cursor: String? = nil, limit: Int = 25, actor: DeskActor,
                         on reader: ReadHandle) throws -> TicketActivityPage {
        try activity(ref, cursor: cursor, limit: limit, actor: actor, on: reader.connection)
    }

    public func tags(_ ref: TicketRef, actor: DeskActor, on reader: ReadHandle) throws -> [String] {
        try tags(ref, actor: actor, on: reader.connection)
    }

    public func agents(actor: DeskActor, on reader: ReadHandle) throws -> [AgentView] { try agents(actor: actor, on: reader.connection) }

    public func departments(actor: DeskActor, on reader: ReadHandle) throws -> [DepartmentView] {
        try departments(actor: actor, on: reader.connection)
    }

    public func search(_ search: TicketSearch, actor: DeskActor, on reader: ReadHandle) throws -> TicketSearchPage {
        try self.search(search, actor: actor, on: reader.connection)
    }
}

extension WorkflowTicketService {
    public init(storage: Storage) { self.init(database: storage.database) }

    public func detail(_ ref: TicketRef, actor: DeskActor, on reader: ReadHandle) throws -> FlowTicketDetail {
        try detail(ref, actor: actor, on: reader.connection)
    }
}

extension WorkflowTicketList {
    public func page(_ filter: WorkflowTicketFilter, page: Int, perPage: Int, start: Int? = nil, actor: DeskActor,
                     on reader: ReadHandle) throws -> WorkflowTicketPage {
        try self.page(filter, page: page, perPage: perPage, start: start, actor: actor, on: reader.connection)
    }
}

extension UserListing {
    public func page(_ filter: Filter, actor: DeskActor, on reader: ReadHandle) throws -> UserListPage {
        try page(filter, actor: actor, on: reader.connection)
    }
}

extension TenantService {
    public init(storage: Storage) { self.init(database: storage.database) }
}

extension DirectoryService {
    public init(storage: Storage, tenant: Tenant) { self.init(database: storage.database, scope: tenant.scope) }
}

extension AgentDirectory {
    public static func users(_ tenant: Tenant, on reader: ReadHandle) throws -> [User] {
        try users(tenant.scope, on: reader.connection)
    }
}

extension MCPDataLimit {
    public static func named(departments: [String], tags: [String], allowsWrites: Bool,
                             in tenant: Tenant, on reader: ReadHandle) throws -> MCPDataLimit {
        try named(departments: departments, tags: tags, allowsWrites: allowsWrites, in: tenant.scope, on: reader.connection)
    }
}

/// What the admin pages read about one tenant's agents and their credentials.
extension AgentAdministration {
    public init(storage: Storage, tenant: Tenant) { self.init(database: storage.database, scope: tenant.scope) }

    public func overview(on reader: ReadHandle) throws -> [AgentOverview] { try overview(on: reader.connection) }

    public func credentials(of userID: Int64, on reader: ReadHandle) throws -> Credentials {
        try credentials(of: userID, on: reader.connection)
    }

    /// An agent of this tenant, or nil.
    public func agent(_ id: Int64, on reader: ReadHandle) throws -> User? { try scope.users.byID(id, on: reader.connection) }

    /// A personal access token still active, with its owner (what the revoke page confirms).
    public func activeToken(_ id: Int64, on reader: ReadHandle) throws -> (token: PersonalAccessToken, owner: User)? {
        let db = reader.connection
        guard let token = try scope.personalAccessTokens.byID(id, on: db), token.revokedAt == nil,
              let owner = try scope.users.byID(token.userID, on: db) else { return nil }
        return (token, owner)
    }

    /// An authorized app still active, with its owner and client (what the revoke page confirms).
    public func activeApp(_ id: Int64, on reader: ReadHandle) throws -> (grant: OAuthGrant, owner: User, client: OAuthClient?)? {
        let db = reader.connection
        guard let grant = try scope.oauthGrants.byID(id, on: db), grant.revokedAt == nil,
              let owner = try scope.users.byID(grant.userID, on: db) else { return nil }
        return (grant, owner, try scope.oauthClients.byClientID(grant.clientID, on: db))
    }

    /// The tenant's departments and tags, for the agent form and the MCP data limit.
    public func departmentsAndTags(on reader: ReadHandle) throws -> (departments: [Department], tags: [Tag]) {
        (try scope.departments.list(on: reader.connection), try scope.tags.list(on: reader.connection))
    }
}

extension WorkflowService {
    public init(storage: Storage, tenant: Tenant) { self.init(database: storage.database, scope: tenant.scope) }
}

extension AgentAdministration {
    /// The agent with this email in this tenant, or nil.
    public func agent(email: String) throws -> User? {
        let scope = self.scope
        return try database.withReader { try scope.users.byEmail(email, on: $0) }
    }

}

extension AgentDirectory {
    /// One agent as `user list` shows them (after a change by the CLI).
    public static func summary(of userID: Int64, tenant: Tenant, storage: Storage) throws -> AgentSummary {
        try summary(of: userID, scope: tenant.scope, database: storage.database)
    }
}

extension TenantService {
    /// Creates a tenant through the group-commit writer without waiting: `completion` runs once
    /// the commit is durable (or has failed). `deskgate debug write-probe` uses it to show that
    /// every acknowledged write survives kill -9.
    public func create(slug: String, name: String, completion: @escaping @Sendable (Result<Tenant, any Error>) -> Void) {
        database.enqueue({ tx in try TenantDirectory().create(slug: slug, name: name, in: tx) }, completion: completion)
    }
}
