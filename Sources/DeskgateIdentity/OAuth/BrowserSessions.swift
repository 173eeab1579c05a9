public import DeskgateSQL
public import DeskgateCrypto
public import DeskgateStore
public import DeskgateModel
public import DeskgateSystem

/// A signed-in browser: who, and the CSRF token its forms must carry.
public struct SignedIn: Sendable, Equatable {
    public let sessionID: Int64
    public let user: User
    public let csrf: String
}

/// Password sign-in and browser sessions of the authorization server's pages. The cookie holds
/// a random 256-bit value; the store keeps its SHA-256, so a database leak signs nobody in.
public struct BrowserSessions: Sendable {
    let database: Database
    let passwords: PasswordHasher
    let lifetimeMilliseconds: Int64
    let clock: @Sendable () -> Int64

    public init(database: Database, passwords: PasswordHasher = PasswordHasher(), lifetimeSeconds: Int = 12 * 3600,
                clock: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() }) {
        self.database = database
        self.passwords = passwords
        lifetimeMilliseconds = Int64(lifetimeSeconds) * 1000
        self.clock = clock
    }

    /// A hash to verify against when the account does not exist, so "no such user" costs the
    /// same scrypt time as "wrong password" (no account-existence oracle by timing).
    private static let decoyHash = (try? PasswordHasher().hash(SecureRandom.base64URL(byteCount: 16))) ?? ""

    public enum SignIn: Sendable, Equatable {
        /// `cookie` goes to the browser; only its hash is stored.
        case success(cookie: String, session: SignedIn)
        case failure
    }

    /// Checks the password (scrypt: call from the worker pool) and opens a session. Both
    /// outcomes are recorded as security events; the failure never says which part was wrong.
    public func signIn(email: String, password: String, tenant: TenantScope, address: String?, userAgent: String?) throws -> SignIn {
        let normalized = email.trimmed.lowercased()
        let user = try database.withReader { try tenant.users.byEmail(normalized, on: $0) }
        let valid = passwords.verify(password, against: user?.passwordHash ?? Self.decoyHash) && user?.passwordHash != nil
        let now = clock()
        guard valid, let user, user.isActive else {
            try database.write { tx in
                try SecurityEvent.record("login_failed", tenant: tenant, actor: nil, subject: user?.id,
                                         detail: [("email", String(normalized.prefix(200)))], address: address, at: now, in: tx)
            }
            return .failure
        }
        let cookie = SecureRandom.base64URL(byteCount: 32)
        let csrf = SecureRandom.base64URL(byteCount: 24)
        let lifetime = lifetimeMilliseconds
        let session = try database.write { tx -> LoginSession in
            _ = try tenant.users.recordLogin(userID: user.id, at: now, in: tx)
            try SecurityEvent.record("login_succeeded", tenant: tenant, actor: user.id, subject: user.id, address: address,
                                     at: now, in: tx)
            return try tenant.loginSessions.create(userID: user.id, sessionHash: SHA256.hash(cookie), csrf: csrf, at: now,
                                                   expiresAt: now + lifetime, address: address, userAgent: userAgent, in: tx)
        }
        return .success(cookie: cookie, session: SignedIn(sessionID: session.id, user: user, csrf: csrf))
    }

    /// The session a cookie names, if live and its user still active.
    public func current(cookie: String, tenant: TenantScope, on db: any SQLConnection) throws -> SignedIn? {
        guard cookie.utf8.count == 43 else { return nil }
        guard let session = try tenant.loginSessions.byHash(SHA256.hash(cookie), on: db),
              session.revokedAt == nil, session.expiresAt > clock(),
              let user = try tenant.users.byID(session.userID, on: db), user.isActive else { return nil }
        return SignedIn(sessionID: session.id, user: user, csrf: session.csrf)
    }

    public func signOut(_ session: SignedIn, tenant: TenantScope, address: String?) throws {
        let now = clock()
        try database.write { tx in
            try tenant.loginSessions.revoke(id: session.sessionID, at: now, in: tx)
            try SecurityEvent.record("logout", tenant: tenant, actor: session.user.id, subject: session.user.id,
                                     address: address, at: now, in: tx)
        }
    }
}
