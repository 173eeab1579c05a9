public import DeskgateSQL
public import DeskgateStore
public import DeskgateModel

/// Who is acting, through which channel and credential. Built once per request (or CLI
/// command) and passed to every query and command; activity rows record it.
public struct DeskActor: Sendable, Equatable {
    /// The channels a change can come through (the values the activity log stores).
    public typealias Via = ActivityVia

    public let tenant: TenantScope
    public let user: User
    /// Departments the user belongs to, primary first.
    public let departmentIDs: [Int64]
    public let via: Via
    /// The personal access token that authenticated the call, if any.
    public let tokenID: Int64?
    /// The OAuth client that made the call, if any.
    public let clientID: String?
    /// The tenant's MCP data limit, for MCP calls (nil: the web, the CLI, or no limit).
    public let dataLimit: MCPDataLimit?
    /// The approval this write uses (issue 18): the write marks it used in its own transaction,
    /// so an approval commits one write, and the history names who approved.
    public var approvalID: String? = nil

    public init(tenant: TenantScope, user: User, departmentIDs: [Int64], via: Via,
                tokenID: Int64? = nil, clientID: String? = nil, dataLimit: MCPDataLimit? = nil) {
        self.tenant = tenant
        self.user = user
        self.departmentIDs = departmentIDs
        self.via = via
        self.tokenID = tokenID
        self.clientID = clientID
        self.dataLimit = dataLimit
    }

    /// The same actor under a data limit (the MCP server adds the tenant's).
    public func limited(by limit: MCPDataLimit?) -> DeskActor {
        var limited = DeskActor(tenant: tenant, user: user, departmentIDs: departmentIDs, via: via, tokenID: tokenID,
                                clientID: clientID, dataLimit: limit)
        limited.approvalID = approvalID
        return limited
    }

    /// The same actor using the approval `id` for its write.
    public func using(approval id: String) -> DeskActor {
        var actor = self
        actor.approvalID = id
        return actor
    }

    /// Reads the user and their department memberships. An unknown user id (or one of another
    /// tenant) is `notFound("user #N")`: credentials name users, so this is a stale credential.
    public static func load(tenant: TenantScope, userID: Int64, via: Via, tokenID: Int64? = nil,
                            clientID: String? = nil, on db: any SQLConnection) throws -> DeskActor {
        guard let user = try tenant.users.byID(userID, on: db) else { throw DeskError.notFound("user #\(userID)") }
        let departments = try tenant.departments.memberships(ofUser: userID, on: db).map(\.departmentID)
        return DeskActor(tenant: tenant, user: user, departmentIDs: departments, via: via, tokenID: tokenID, clientID: clientID)
    }

    /// The actor for a user the caller has just read in this same read snapshot (an
    /// authenticated token's user): only the memberships are read.
    public static func load(tenant: TenantScope, user: User, via: Via, tokenID: Int64? = nil,
                            clientID: String? = nil, on db: any SQLConnection) throws -> DeskActor {
        let departments = try tenant.departments.memberships(ofUser: user.id, on: db).map(\.departmentID)
        return DeskActor(tenant: tenant, user: user, departmentIDs: departments, via: via, tokenID: tokenID, clientID: clientID)
    }

    /// The same actor as the database sees it now: write commands re-read it inside their
    /// transaction, so a deactivation or role change committed meanwhile is honoured.
    func reloaded(on db: any SQLConnection) throws -> DeskActor {
        var actor = try DeskActor.load(tenant: tenant, userID: user.id, via: via, tokenID: tokenID, clientID: clientID, on: db)
            .limited(by: dataLimit)
        actor.approvalID = approvalID
        return actor
    }

    var permissions: TicketPermissions { TicketPermissions(actor: self) }
}
