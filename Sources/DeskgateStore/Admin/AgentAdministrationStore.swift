public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem
/// Writes and counts behind agent administration (listing agents with their credentials,
/// changing a role, deactivating with every credential revoked in one transaction).
extension UserRepository {
    /// Returns false when the user is not in this tenant. The `user_deactivated` trigger (it
    /// watches `role` too) bumps the revocation counter, so cached principals re-read the role.
    @discardableResult
    public func setRole(_ role: UserRole, userID: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("UPDATE users SET role = ?3, updated_at = ?4 WHERE tenant_id = ?1 AND id = ?2",
                              scope.tenantKey, userID, role, WallClock.milliseconds()) > 0
    }

    /// Active admins of the tenant: the last one may not be demoted or deactivated.
    public func activeAdminCount(on db: any SQLConnection) throws -> Int {
        try db.queryOne("SELECT count(*) FROM users WHERE tenant_id = ?1 AND role = 'admin' AND is_active = 1",
                        scope.tenantKey) { $0.int(0) } ?? 0
    }
}

extension PersonalAccessTokenRepository {
    /// Live (not revoked, not expired) tokens per user id; users without any are absent.
    public func activeCounts(now: Int64, on db: any SQLConnection) throws -> [Int64: Int] {
        let rows = try db.queryAll("""
            SELECT user_id, count(*) FROM personal_access_tokens
            WHERE tenant_id = ?1 AND revoked_at IS NULL AND expires_at > ?2 GROUP BY user_id
            """, scope.tenantKey, now) { ($0.int64(0), $0.int(1)) }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    /// Revokes every unrevoked token of the user; returns how many.
    @discardableResult
    public func revokeAll(forUser userID: Int64, by actorID: Int64?, at time: Int64, in tx: WriteTransaction) throws -> Int {
        try tx.connection.run("""
            UPDATE personal_access_tokens SET revoked_at = ?3, revoked_by = ?4
            WHERE tenant_id = ?1 AND user_id = ?2 AND revoked_at IS NULL
            """, scope.tenantKey, userID, time, actorID)
    }
}

extension OAuthGrantRepository {
    /// Live grants per user id; users without any are absent.
    public func liveCounts(on db: any SQLConnection) throws -> [Int64: Int] {
        let rows = try db.queryAll("""
            SELECT user_id, count(*) FROM oauth_grants WHERE tenant_id = ?1 AND revoked_at IS NULL GROUP BY user_id
            """, scope.tenantKey) { ($0.int64(0), $0.int(1)) }
        return Dictionary(uniqueKeysWithValues: rows)
    }
}

extension LoginSessionRepository {
    /// Ends every browser session of the user; returns how many were live.
    @discardableResult
    public func revokeAll(userID: Int64, at time: Int64, in tx: WriteTransaction) throws -> Int {
        try tx.connection.run("""
            UPDATE login_sessions SET revoked_at = ?3 WHERE tenant_id = ?1 AND user_id = ?2 AND revoked_at IS NULL
            """, scope.tenantKey, userID, time)
    }
}

extension TagRepository {
    /// Whether the ticket carries at least one of `tagIDs` (the MCP data limit's point check).
    public func ticket(_ ticketID: Int64, hasAnyOf tagIDs: [Int64], on db: any SQLConnection) throws -> Bool {
        try db.queryOne("""
            SELECT 1 FROM ticket_tags WHERE tenant_id = ?1 AND ticket_id = ?2 AND tag_id IN (\(db.dialect.integers(inJSONArray: "?3")))
            LIMIT 1
            """, scope.tenantKey, ticketID, tagIDs.jsonArray) { _ in true } ?? false
    }
}
