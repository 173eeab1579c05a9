public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

extension TenantScope {
    public var loginSessions: LoginSessionRepository { LoginSessionRepository(scope: self) }
    public var securityEvents: SecurityEventRepository { SecurityEventRepository(scope: self) }
}

/// Browser sessions of the authorization server's pages, found by the cookie's SHA-256.
public struct LoginSessionRepository: Sendable {
    public let scope: TenantScope

    public func create(userID: Int64, sessionHash: [UInt8], csrf: String, at time: Int64, expiresAt: Int64,
                       address: String?, userAgent: String?, in tx: WriteTransaction) throws -> LoginSession {
        try tx.connection.queryOne("""
            INSERT INTO login_sessions (tenant_id, user_id, session_hash, csrf, created_at, last_seen_at, expires_at,
                address, user_agent)
            VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8) RETURNING \(LoginSession.columns)
            """, scope.tenantKey, userID, sessionHash, csrf, time, expiresAt, address, userAgent.map { String($0.prefix(300)) }) {
            LoginSession(row: $0)
        }!
    }

    public func byHash(_ sessionHash: [UInt8], on db: any SQLConnection) throws -> LoginSession? {
        try db.queryOne("SELECT \(LoginSession.columns) FROM login_sessions WHERE tenant_id = ?1 AND session_hash = ?2",
                        scope.tenantKey, sessionHash) { LoginSession(row: $0) }
    }

    /// Deletes sessions that expired (or were revoked) before `cutoff`.
    @discardableResult
    public func deleteEnded(before cutoff: Int64, in tx: WriteTransaction) throws -> Int {
        try tx.connection.run("""
            DELETE FROM login_sessions WHERE tenant_id = ?1 AND (expires_at < ?2 OR revoked_at < ?2)
            """, scope.tenantKey, cutoff)
    }

    @discardableResult
    public func revoke(id: Int64, at time: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("""
            UPDATE login_sessions SET revoked_at = ?3 WHERE tenant_id = ?1 AND id = ?2 AND revoked_at IS NULL
            """, scope.tenantKey, id, time) > 0
    }
}

/// The tenant's audit trail of sign-ins, approvals and revocations.
public struct SecurityEventRepository: Sendable {
    public let scope: TenantScope

    /// `detailJSON` must be a JSON object; it never carries a secret.
    public func record(kind: String, actorUserID: Int64?, subjectUserID: Int64?, detailJSON: String = "{}",
                       address: String?, at time: Int64? = nil, in tx: WriteTransaction) throws {
        try tx.connection.run("""
            INSERT INTO security_events (tenant_id, actor_user_id, subject_user_id, kind, detail_json, address, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """, scope.tenantKey, actorUserID, subjectUserID, kind, detailJSON, address, time ?? WallClock.milliseconds())
    }

    /// The most recent events first.
    public func recent(limit: Int = 100, on db: any SQLConnection) throws -> [(kind: String, subjectUserID: Int64?, detailJSON: String, createdAt: Int64)] {
        try db.queryAll("""
            SELECT kind, subject_user_id, detail_json, created_at FROM security_events WHERE tenant_id = ?1
            ORDER BY id DESC LIMIT ?2
            """, scope.tenantKey, limit) { ($0.string(0), $0.optionalInt64(1), $0.string(2), $0.int64(3)) }
    }
}
