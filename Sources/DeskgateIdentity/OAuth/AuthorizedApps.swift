public import DeskgateStore
import DeskgateModel
public import DeskgateSystem

/// One app a user approved: a live grant with its client's name.
public struct AuthorizedApp: Sendable, Equatable {
    public let grantID: Int64
    public let userID: Int64
    public let userEmail: String
    public let clientID: String
    public let clientName: String
    public let scopes: [String]
    public let approvedAt: Int64
    public let lastUsedAt: Int64?

    public init(grantID: Int64, userID: Int64, userEmail: String, clientID: String, clientName: String,
                scopes: [String], approvedAt: Int64, lastUsedAt: Int64?) {
        self.grantID = grantID
        self.userID = userID
        self.userEmail = userEmail
        self.clientID = clientID
        self.clientName = clientName
        self.scopes = scopes
        self.approvedAt = approvedAt
        self.lastUsedAt = lastUsedAt
    }
}

/// "Authorized apps": list and revoke live grants. The CLI calls it now; the profile and
/// admin pages will call it with the signed-in user as the actor.
public struct AuthorizedApps: Sendable {
    let database: Database
    let clock: @Sendable () -> Int64

    public init(database: Database, clock: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() }) {
        self.database = database
        self.clock = clock
    }

    /// One user's apps, or (nil) every live grant of the tenant.
    public func list(tenant slug: String, userEmail: String? = nil) throws -> [AuthorizedApp] {
        try database.withReader { db in
            let scope = try PersonalAccessTokenService.tenant(slug, on: db)
            var userID: Int64?
            if let userEmail { userID = try PersonalAccessTokenService.user(userEmail, in: scope, on: db).id }
            var emails: [Int64: String] = [:]
            var names: [String: String] = [:]
            return try scope.oauthGrants.listLive(userID: userID, on: db).map { grant in
                if emails[grant.userID] == nil {
                    emails[grant.userID] = try scope.users.byID(grant.userID, on: db)?.email ?? "#\(grant.userID)"
                }
                if names[grant.clientID] == nil {
                    let client = try scope.oauthClients.byClientID(grant.clientID, on: db)
                    names[grant.clientID] = client.map { $0.name.isEmpty ? $0.clientID : $0.name } ?? grant.clientID
                }
                return AuthorizedApp(grantID: grant.id, userID: grant.userID, userEmail: emails[grant.userID]!,
                                     clientID: grant.clientID, clientName: names[grant.clientID]!, scopes: grant.scopes,
                                     approvedAt: grant.createdAt, lastUsedAt: grant.lastUsedAt)
            }
        }
    }

    /// Revokes grant `id`. An agent must own the grant or be an admin (anyone else gets "not
    /// found": no existence oracle); the operator may revoke any. Its tokens stop at the next
    /// request everywhere (the grant trigger bumps the revocation counter).
    public func revoke(tenant slug: String, grantID: Int64, by who: ActorRef) throws -> AuthorizedApp {
        let now = clock()
        return try database.write { tx in
            let db = tx.connection
            let scope = try PersonalAccessTokenService.tenant(slug, on: db)
            let notFound = DeskError.notFound("authorized app #\(grantID)")
            guard let grant = try scope.oauthGrants.byID(grantID, on: db), grant.revokedAt == nil else { throw notFound }
            let actorID = who.userID
            if let actorID {
                guard let actor = try scope.users.byID(actorID, on: db), actor.isActive,
                      actor.id == grant.userID || actor.role == .admin else { throw notFound }
            }
            try scope.oauthGrants.revoke(grantID: grantID, at: now, in: tx)
            try SecurityEvent.record("app_revoked", tenant: scope, actor: actorID, subject: grant.userID,
                                     detail: [("client_id", grant.clientID), ("grant_id", String(grant.id))], address: nil,
                                     at: now, in: tx)
            let client = try scope.oauthClients.byClientID(grant.clientID, on: db)
            return AuthorizedApp(grantID: grant.id, userID: grant.userID,
                                 userEmail: try scope.users.byID(grant.userID, on: db)?.email ?? "#\(grant.userID)",
                                 clientID: grant.clientID, clientName: client.map { $0.name.isEmpty ? $0.clientID : $0.name } ?? grant.clientID,
                                 scopes: grant.scopes, approvedAt: grant.createdAt, lastUsedAt: grant.lastUsedAt)
        }
    }
}
