public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

extension TenantScope {
    public var personalAccessTokens: PersonalAccessTokenRepository { PersonalAccessTokenRepository(scope: self) }
}

/// A tenant's personal access tokens, for their owners and the tenant's admins.
/// Authentication, which happens before the tenant is known, uses `PersonalAccessTokenLookup`.
public struct PersonalAccessTokenRepository: Sendable {
    public let scope: TenantScope

    /// Fails with a constraint violation when the user is not in this tenant (composite foreign key).
    public func create(_ token: NewPersonalAccessToken, in tx: WriteTransaction) throws -> PersonalAccessToken {
        try tx.connection.queryOne("""
            INSERT INTO personal_access_tokens (tenant_id, user_id, name, token_hash, masked, scopes, created_at, expires_at, approval)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING \(PersonalAccessToken.columns)
            """, scope.tenantKey, token.userID, token.name, token.tokenHash, token.masked,
            token.scopes.joined(separator: " "), token.createdAt ?? WallClock.milliseconds(), token.expiresAt, token.approval) {
            PersonalAccessToken(row: $0)
        }!
    }

    public func byID(_ id: Int64, on db: any SQLConnection) throws -> PersonalAccessToken? {
        try db.queryOne("""
            SELECT \(PersonalAccessToken.columns) FROM personal_access_tokens WHERE tenant_id = ?1 AND id = ?2
            """, scope.tenantKey, id) { PersonalAccessToken(row: $0) }
    }

    /// One user's tokens, revoked and expired ones included, oldest first.
    public func list(forUser userID: Int64, on db: any SQLConnection) throws -> [PersonalAccessToken] {
        try db.queryAll("""
            SELECT \(PersonalAccessToken.columns) FROM personal_access_tokens
            WHERE tenant_id = ?1 AND user_id = ?2 ORDER BY id
            """, scope.tenantKey, userID) { PersonalAccessToken(row: $0) }
    }

    /// Every token of the tenant (the admin view), oldest first. At most 10 active per user
    /// keeps this small; revoked ones accumulate, which an admin page may want to page later.
    public func list(on db: any SQLConnection) throws -> [PersonalAccessToken] {
        try db.queryAll("""
            SELECT \(PersonalAccessToken.columns) FROM personal_access_tokens WHERE tenant_id = ?1 ORDER BY id
            """, scope.tenantKey) { PersonalAccessToken(row: $0) }
    }

    /// Tokens that still authenticate at `now`: not revoked and not yet expired.
    /// Call it inside the creating write transaction so the limit cannot be raced past.
    public func activeCount(forUser userID: Int64, now: Int64, on db: any SQLConnection) throws -> Int {
        try db.queryOne("""
            SELECT count(*) FROM personal_access_tokens
            WHERE tenant_id = ?1 AND user_id = ?2 AND revoked_at IS NULL AND expires_at > ?3
            """, scope.tenantKey, userID, now) { $0.int(0) } ?? 0
    }

    /// Marks the token revoked. The `pat_revoked` trigger bumps the revocation counter in this
    /// same transaction, so resource-server caches drop it as soon as this commits.
    /// Returns false when the token is not in this tenant or was already revoked.
    @discardableResult
    public func revoke(id: Int64, by userID: Int64?, at time: Int64? = nil, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("""
            UPDATE personal_access_tokens SET revoked_at = ?3, revoked_by = ?4
            WHERE tenant_id = ?1 AND id = ?2 AND revoked_at IS NULL
            """, scope.tenantKey, id, time ?? WallClock.milliseconds(), userID) > 0
    }
}

/// The global door to personal access tokens, for the one moment the tenant is not yet
/// known: authenticating a presented token. Deliberately narrow, like `TenantDirectory`:
/// a match by hash (the caller then checks the row's tenant against the URL's) and the
/// coalesced last-used write. Everything else goes through `TenantScope`.
public struct PersonalAccessTokenLookup: Sendable {
    public init() {}

    /// The token whose SHA-256 digest is `tokenHash`, whatever its tenant, state or expiry:
    /// the authenticator wants to tell "revoked" and "expired" apart from "unknown".
    public func byHash(_ tokenHash: [UInt8], on db: any SQLConnection) throws -> PersonalAccessToken? {
        try db.acrossTenants {
            try db.queryOne("SELECT \(PersonalAccessToken.columns) FROM personal_access_tokens WHERE token_hash = ?1",
                            tokenHash) { PersonalAccessToken(row: $0) }
        }
    }

    /// Records when tokens were last used, all in the caller's one transaction. A time only
    /// moves `last_used_at` forward, so flushes from several processes can arrive in any order.
    /// Returns how many rows moved.
    @discardableResult
    public func recordUse(_ uses: [(id: Int64, at: Int64)], in tx: WriteTransaction) throws -> Int {
        try LastUseTimes.record(uses, table: "personal_access_tokens", in: tx)
    }
}
