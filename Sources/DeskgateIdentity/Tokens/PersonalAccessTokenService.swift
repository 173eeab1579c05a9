import DeskgateSQL
public import DeskgateStore
public import DeskgateModel
import DeskgateSystem

/// Creating, listing and revoking personal access tokens (design: "Tokens"). The CLI calls it
/// today; the profile and admin pages will call it with the signed-in user as the actor.
public struct PersonalAccessTokenService: Sendable {
    /// More than this many live tokens per user is a sign of tokens nobody tracks any more.
    public static let maximumActivePerUser = 10
    /// Two calendar years: the default and the longest a token may live, so every token dies
    /// eventually. Counted on the calendar, not as 730 days, which fall short across a leap day.
    public static let lifetimeYears = 2
    public static let maximumNameLength = 100

    static let millisecondsPerDay: Int64 = 86_400_000

    let database: Database
    let clock: @Sendable () -> Int64

    public init(database: Database) {
        self.init(database: database, clock: { WallClock.milliseconds() })
    }

    /// Tests pass a clock to create tokens that expire on cue.
    init(database: Database, clock: @escaping @Sendable () -> Int64) {
        self.database = database
        self.clock = clock
    }

    /// Mints a token for `userEmail`. The returned `token` is the only copy there will ever be:
    /// the store keeps its SHA-256 and a masked form. `actorID` (the signed-in user on a page;
    /// nil for the operator) goes into the `token_created` security event.
    public func create(tenant slug: String, userEmail: String, name: String? = nil, scopes: Scopes? = nil,
                       expiresInDays: Int? = nil, approval: ApprovalPolicy? = nil,
                       by actorID: Int64? = nil) throws -> (token: String, record: PersonalAccessTokenSummary) {
        let name = try Self.validName(name)
        let scopes = scopes ?? Scopes.all
        guard !scopes.isEmpty else {
            throw DeskError.invalid(field: "scope", reason: "no scope given; valid scopes: \(Scopes.validNames)")
        }
        let now = clock()
        let allowed = Self.lifetimeDays(from: now)
        if let days = expiresInDays, !allowed.contains(days) {
            throw DeskError.invalid(field: "expires_in_days",
                                    reason: "must be between 1 and \(allowed.upperBound) days (two years from today), got \(days)")
        }
        let expiresAt = expiresInDays.map { now + Int64($0) * Self.millisecondsPerDay } ?? Self.latestExpiry(from: now)
        let token = PersonalAccessTokenFormat.generate()
        let draft = NewPersonalAccessToken(
            userID: 0, name: name, tokenHash: PersonalAccessTokenFormat.storageKey(token),
            masked: PersonalAccessTokenFormat.masked(token), scopes: scopes.names,
            expiresAt: expiresAt, createdAt: now)
        let record = try database.write { tx in
            let scope = try Self.tenant(slug, on: tx.connection, issuing: true)
            let user = try Self.user(userEmail, in: scope, on: tx.connection)
            guard user.isActive else {
                throw DeskError.conflict("\(user.email) is deactivated; personal access tokens cannot be created for them")
            }
            // Counted inside the write transaction: the single writer makes count-then-insert atomic.
            let active = try scope.personalAccessTokens.activeCount(forUser: user.id, now: now, on: tx.connection)
            guard active < Self.maximumActivePerUser else {
                throw DeskError.conflict("""
                    \(user.email) already has \(active) active personal access tokens, the limit is \
                    \(Self.maximumActivePerUser) per user; revoke one first ('deskgate token list --tenant \(slug) \
                    --user \(user.email)' shows their ids, 'deskgate token revoke --tenant \(slug) ID' revokes one, \
                    or use the MCP Integration page)
                    """)
            }
            var owned = draft
            owned.userID = user.id
            // The token's own approval policy (issue 18): it tightens the tenant's for calls made with it.
            if let approval, approval != .never { owned.approval = approval.rawValue }
            let stored = try scope.personalAccessTokens.create(owned, in: tx)
            try SecurityEvent.record("token_created", tenant: scope, actor: actorID, subject: user.id,
                                     detail: [("token_id", String(stored.id)), ("masked", stored.masked)], address: nil,
                                     at: now, in: tx)
            return PersonalAccessTokenSummary(stored, userEmail: user.email, now: now)
        }
        return (token, record)
    }

    /// The moment two calendar years after `now`: when a token made now expires at the latest.
    public static func latestExpiry(from now: Int64) -> Int64 {
        Timestamp.addingCalendarYears(lifetimeYears, to: now)
    }

    /// The whole days a token made at `now` may last: 1 to 730, or 731 when a 29 February falls
    /// within the next two years.
    public static func lifetimeDays(from now: Int64) -> ClosedRange<Int> {
        1...Int((latestExpiry(from: now) - now) / millisecondsPerDay)
    }

    /// One user's tokens, or (nil) every token of the tenant, oldest first.
    public func list(tenant slug: String, userEmail: String? = nil) throws -> [PersonalAccessTokenSummary] {
        let now = clock()
        return try database.withReader { db in
            let scope = try Self.tenant(slug, on: db)
            if let userEmail {
                let user = try Self.user(userEmail, in: scope, on: db)
                return try scope.personalAccessTokens.list(forUser: user.id, on: db).map {
                    PersonalAccessTokenSummary($0, userEmail: user.email, now: now)
                }
            }
            var emails: [Int64: String] = [:]
            return try scope.personalAccessTokens.list(on: db).map { token in
                if emails[token.userID] == nil {
                    emails[token.userID] = try scope.users.byID(token.userID, on: db)?.email ?? "#\(token.userID)"
                }
                return PersonalAccessTokenSummary(token, userEmail: emails[token.userID]!, now: now)
            }
        }
    }

    /// Revokes token `id`. An agent must be the token's owner or an admin of the tenant; the
    /// operator (CLI) may revoke any. Takes effect on the next request everywhere: the store's
    /// trigger bumps the revocation counter in this transaction.
    @discardableResult
    public func revoke(tenant slug: String, id: Int64, by who: ActorRef) throws -> PersonalAccessTokenSummary {
        let now = clock()
        return try database.write { tx in
            let db = tx.connection
            let scope = try Self.tenant(slug, on: db)
            let notFound = DeskError.notFound("personal access token #\(id)")
            guard let token = try scope.personalAccessTokens.byID(id, on: db) else { throw notFound }
            let actorID = who.userID
            if let actorID {
                guard let actor = try scope.users.byID(actorID, on: db), actor.isActive else { throw notFound }
                // Someone else's token is "not found" to a non-admin: no existence oracle.
                guard actor.id == token.userID || actor.role == .admin else { throw notFound }
            }
            guard try scope.personalAccessTokens.revoke(id: id, by: actorID, at: now, in: tx),
                  let revoked = try scope.personalAccessTokens.byID(id, on: db) else {
                throw DeskError.conflict("personal access token #\(id) is already revoked")
            }
            try SecurityEvent.record("token_revoked", tenant: scope, actor: actorID, subject: token.userID,
                                     detail: [("token_id", String(id)), ("masked", token.masked)], address: nil, at: now, in: tx)
            let owner = try scope.users.byID(token.userID, on: db)?.email ?? "#\(token.userID)"
            return PersonalAccessTokenSummary(revoked, userEmail: owner, now: now)
        }
    }

    // MARK: lookups shared by the operations

    /// A suspended tenant keeps its tokens listable and revocable but gets no new ones.
    static func tenant(_ slug: String, on db: any SQLConnection, issuing: Bool = false) throws -> TenantScope {
        switch try TenantGate().decide(slug, on: db) {
        case .unknown: throw DeskError.notFound("tenant '\(slug)'")
        case .suspended where issuing: throw DeskError.forbidden("tenant '\(slug)' is suspended; no tokens can be issued")
        case .open(let tenant), .suspended(let tenant): return tenant.scope
        }
    }

    static func user(_ email: String, in scope: TenantScope, on db: any SQLConnection) throws -> User {
        guard let user = try scope.users.byEmail(email.trimmed, on: db) else {
            throw DeskError.notFound("user '\(email)' in tenant '\(scope.slug)'")
        }
        return user
    }

    static func validName(_ name: String?) throws -> String {
        guard let name, !name.trimmed.isEmpty else { return "" }
        return try Validation.name(name, maxLength: maximumNameLength)
    }
}
