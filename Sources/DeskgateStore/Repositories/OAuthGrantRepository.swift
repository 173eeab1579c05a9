public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

extension TenantScope {
    public var oauthGrants: OAuthGrantRepository { OAuthGrantRepository(scope: self) }
}

/// Grants (remembered consents), and the codes and refresh tokens issued under them.
public struct OAuthGrantRepository: Sendable {
    public let scope: TenantScope

    // MARK: grants

    /// The one live grant of `userID` for `clientID`, if any.
    public func live(userID: Int64, clientID: String, on db: any SQLConnection) throws -> OAuthGrant? {
        try db.queryOne("""
            SELECT \(OAuthGrant.columns) FROM oauth_grants
            WHERE tenant_id = ?1 AND user_id = ?2 AND client_id = ?3 AND revoked_at IS NULL
            """, scope.tenantKey, userID, clientID) { OAuthGrant(row: $0) }
    }

    public func byID(_ id: Int64, on db: any SQLConnection) throws -> OAuthGrant? {
        try db.queryOne("SELECT \(OAuthGrant.columns) FROM oauth_grants WHERE tenant_id = ?1 AND id = ?2",
                        scope.tenantKey, id) { OAuthGrant(row: $0) }
    }

    public func create(userID: Int64, clientID: String, scopes: [String], resource: String, at time: Int64,
                       in tx: WriteTransaction) throws -> OAuthGrant {
        try tx.connection.queryOne("""
            INSERT INTO oauth_grants (tenant_id, user_id, client_id, scopes, resource, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING \(OAuthGrant.columns)
            """, scope.tenantKey, userID, clientID, scopes.joined(separator: " "), resource, time) { OAuthGrant(row: $0) }!
    }

    public func setScopes(_ scopes: [String], grantID: Int64, in tx: WriteTransaction) throws {
        try tx.connection.run("UPDATE oauth_grants SET scopes = ?3 WHERE tenant_id = ?1 AND id = ?2",
                              scope.tenantKey, grantID, scopes.joined(separator: " "))
    }

    public func recordUse(grantID: Int64, at time: Int64, in tx: WriteTransaction) throws {
        try tx.connection.run("""
            UPDATE oauth_grants SET last_used_at = ?3
            WHERE tenant_id = ?1 AND id = ?2 AND (last_used_at IS NULL OR last_used_at < ?3)
            """, scope.tenantKey, grantID, time)
    }

    /// Revokes the grant and every refresh token under it. The `grant_revoked` trigger bumps the
    /// revocation counter in this transaction, so resource servers refuse its access tokens next request.
    /// Returns false when it was not live (or not in this tenant).
    @discardableResult
    public func revoke(grantID: Int64, at time: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("""
            UPDATE oauth_refresh_tokens SET revoked_at = ?3 WHERE tenant_id = ?1 AND grant_id = ?2 AND revoked_at IS NULL
            """, scope.tenantKey, grantID, time)
        return try tx.connection.run("""
            UPDATE oauth_grants SET revoked_at = ?3 WHERE tenant_id = ?1 AND id = ?2 AND revoked_at IS NULL
            """, scope.tenantKey, grantID, time) > 0
    }

    /// Live grants, of one user or (nil) of the whole tenant, oldest first.
    public func listLive(userID: Int64?, on db: any SQLConnection) throws -> [OAuthGrant] {
        if let userID {
            return try db.queryAll("""
                SELECT \(OAuthGrant.columns) FROM oauth_grants WHERE tenant_id = ?1 AND user_id = ?2 AND revoked_at IS NULL
                ORDER BY id
                """, scope.tenantKey, userID) { OAuthGrant(row: $0) }
        }
        return try db.queryAll("""
            SELECT \(OAuthGrant.columns) FROM oauth_grants WHERE tenant_id = ?1 AND revoked_at IS NULL ORDER BY id
            """, scope.tenantKey) { OAuthGrant(row: $0) }
    }

    // MARK: authorization codes

    public func createCode(_ code: NewOAuthCode, in tx: WriteTransaction) throws {
        try tx.connection.run("""
            INSERT INTO oauth_codes (tenant_id, code_hash, grant_id, redirect_uri, code_challenge, resource, scopes,
                created_at, expires_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """, scope.tenantKey, code.codeHash, code.grantID, code.redirectURI, code.codeChallenge, code.resource,
            code.scopes.joined(separator: " "), code.createdAt, code.expiresAt)
    }

    public func code(hash: [UInt8], on db: any SQLConnection) throws -> OAuthCode? {
        try db.queryOne("SELECT \(OAuthCode.columns) FROM oauth_codes WHERE tenant_id = ?1 AND code_hash = ?2",
                        scope.tenantKey, hash) { OAuthCode(row: $0) }
    }

    /// Marks the code used; false if it already was (the single writer makes this the one winner).
    public func markCodeUsed(id: Int64, at time: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("UPDATE oauth_codes SET used_at = ?3 WHERE tenant_id = ?1 AND id = ?2 AND used_at IS NULL",
                              scope.tenantKey, id, time) > 0
    }

    /// Deletes codes that expired before `cutoff` (kept a while after expiry so a late replay is
    /// still recognised as one). Returns how many went.
    @discardableResult
    public func deleteCodes(expiredBefore cutoff: Int64, in tx: WriteTransaction) throws -> Int {
        try tx.connection.run("DELETE FROM oauth_codes WHERE tenant_id = ?1 AND expires_at < ?2", scope.tenantKey, cutoff)
    }

    // MARK: refresh tokens

    /// `familyID` nil starts a new chain (the token is its own family).
    public func createRefreshToken(hash: [UInt8], grantID: Int64, familyID: Int64?, parentID: Int64?, scopes: [String],
                                   at time: Int64, expiresAt: Int64, in tx: WriteTransaction) throws -> OAuthRefreshToken {
        let created = try tx.connection.queryOne("""
            INSERT INTO oauth_refresh_tokens (tenant_id, token_hash, grant_id, family_id, parent_id, scopes, created_at, expires_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING \(OAuthRefreshToken.columns)
            """, scope.tenantKey, hash, grantID, familyID, parentID, scopes.joined(separator: " "), time, expiresAt) {
            OAuthRefreshToken(row: $0)
        }!
        if familyID == nil {
            try tx.connection.run("UPDATE oauth_refresh_tokens SET family_id = id WHERE tenant_id = ?1 AND id = ?2",
                                  scope.tenantKey, created.id)
        }
        return created
    }

    public func refreshToken(hash: [UInt8], on db: any SQLConnection) throws -> OAuthRefreshToken? {
        try db.queryOne("""
            SELECT \(OAuthRefreshToken.columns) FROM oauth_refresh_tokens WHERE tenant_id = ?1 AND token_hash = ?2
            """, scope.tenantKey, hash) { OAuthRefreshToken(row: $0) }
    }

    /// Deletes refresh tokens that ended before `cutoff`: expired ones, rotated or not, and revoked
    /// ones. Every rotation adds a row, so without this an authorization in daily use grows its
    /// chain for ever. Presenting a deleted token is `invalid_grant` ("unknown") as presenting it
    /// expired or revoked was; what goes is reuse detection for a rotated token once it is past
    /// its own expiry by the sweep's margin (the theft race it catches is over by then: the
    /// rightful client must refresh within a token's lifetime or lose the chain anyway).
    /// Returns how many went.
    @discardableResult
    public func deleteRefreshTokens(endedBefore cutoff: Int64, in tx: WriteTransaction) throws -> Int {
        let ended = "tenant_id = ?1 AND (expires_at < ?2 OR revoked_at < ?2)"
        // A live successor names its deleted parent: the link is history nothing reads, so it is cut.
        try tx.connection.run("""
            UPDATE oauth_refresh_tokens SET parent_id = NULL
            WHERE tenant_id = ?1 AND parent_id IN (SELECT id FROM oauth_refresh_tokens WHERE \(ended))
            """, scope.tenantKey, cutoff)
        return try tx.connection.run("DELETE FROM oauth_refresh_tokens WHERE \(ended)", scope.tenantKey, cutoff)
    }

    /// Marks the first rotation of a token; a later one keeps the first time (the grace window starts there).
    public func markRotated(id: Int64, at time: Int64, in tx: WriteTransaction) throws {
        try tx.connection.run("""
            UPDATE oauth_refresh_tokens SET rotated_at = ?3 WHERE tenant_id = ?1 AND id = ?2 AND rotated_at IS NULL
            """, scope.tenantKey, id, time)
    }
}
