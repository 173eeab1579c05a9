public import DeskgateSQL

extension TenantScope {
    public var pendingAuthorizations: PendingAuthorizationRepository { PendingAuthorizationRepository(scope: self) }
    public var pageFlashes: PageFlashRepository { PageFlashRepository(scope: self) }
}

/// Authorization requests waiting on the consent page, by the digest of their id, bound to
/// the login session that saw the page. The request itself is opaque JSON to the store.
public struct PendingAuthorizationRepository: Sendable {
    public let scope: TenantScope

    public func add(idDigest: String, loginSessionID: Int64, requestJSON: String, at time: Int64,
                    in tx: WriteTransaction) throws {
        try tx.connection.run("""
            INSERT INTO pending_authorizations (id_digest, tenant_id, login_session_id, request_json, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5)
            """, idDigest, scope.tenantKey, loginSessionID, requestJSON, time)
    }

    /// The request if it is this session's and was made at or after `notBefore`.
    public func find(idDigest: String, loginSessionID: Int64, notBefore: Int64, on db: any SQLConnection) throws -> String? {
        try db.queryOne("""
            SELECT request_json FROM pending_authorizations
            WHERE id_digest = ?1 AND tenant_id = ?2 AND login_session_id = ?3 AND created_at >= ?4
            """, idDigest, scope.tenantKey, loginSessionID, notBefore) { $0.string(0) }
    }

    /// Removes and returns the request (at most once, whichever process asks).
    public func take(idDigest: String, loginSessionID: Int64, notBefore: Int64, in tx: WriteTransaction) throws -> String? {
        try tx.connection.queryOne("""
            DELETE FROM pending_authorizations
            WHERE id_digest = ?1 AND tenant_id = ?2 AND login_session_id = ?3 AND created_at >= ?4
            RETURNING request_json
            """, idDigest, scope.tenantKey, loginSessionID, notBefore) { $0.string(0) }
    }
}

/// One-shot page banners, sealed by the caller; the store never sees what they say.
public struct PageFlashRepository: Sendable {
    public let scope: TenantScope

    public func put(idDigest: String, loginSessionID: Int64, sealed: [UInt8], at time: Int64, in tx: WriteTransaction) throws {
        try tx.connection.run("""
            INSERT INTO page_flashes (id_digest, tenant_id, login_session_id, sealed, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
            """, idDigest, scope.tenantKey, loginSessionID, sealed, time)
    }

    /// Removes the flash whatever it holds (a banner is shown at most once) and returns it
    /// when it is this session's and was made at or after `notBefore`.
    public func take(idDigest: String, loginSessionID: Int64, notBefore: Int64, in tx: WriteTransaction) throws -> [UInt8]? {
        try tx.connection.queryOne("""
            DELETE FROM page_flashes WHERE id_digest = ?1 AND tenant_id = ?2 RETURNING login_session_id, created_at, sealed
            """, idDigest, scope.tenantKey) { row -> [UInt8]? in
            guard row.int64(0) == loginSessionID, row.int64(1) >= notBefore else { return nil }
            return row.blob(2)
        } ?? nil
    }
}
