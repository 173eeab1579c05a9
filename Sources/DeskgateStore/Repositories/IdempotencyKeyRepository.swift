public import DeskgateSQL

extension TenantScope {
    public var idempotencyKeys: IdempotencyKeyRepository { IdempotencyKeyRepository(scope: self) }
}

/// The keys users' write calls named (issue 19), per tenant and user.
public struct IdempotencyKeyRepository: Sendable {
    public let scope: TenantScope

    public struct Stored: Sendable, Equatable {
        public let tool: String
        public let argumentsDigest: String
        /// The first call's result; empty until the call finished (or if it never could record it).
        public let resultJSON: String
        public let createdAt: Int64
    }

    public func find(userID: Int64, key: String, on db: any SQLConnection) throws -> Stored? {
        try db.queryOne("""
            SELECT tool, arguments_digest, result_json, created_at FROM idempotency_keys
            WHERE tenant_id = ?1 AND user_id = ?2 AND key = ?3
            """, scope.tenantKey, userID, key) {
            Stored(tool: $0.string(0), argumentsDigest: $0.string(1), resultJSON: $0.string(2), createdAt: $0.int64(3))
        }
    }

    /// Claims the key for this call; false when another call holds it (a race another process won).
    public func claim(userID: Int64, key: String, tool: String, argumentsDigest: String, at time: Int64,
                      in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("""
            INSERT INTO idempotency_keys (tenant_id, user_id, key, tool, arguments_digest, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (tenant_id, user_id, key) DO NOTHING
            """, scope.tenantKey, userID, key, tool, argumentsDigest, time) == 1
    }

    /// Removes a key whose window has passed, so it can be claimed again.
    public func forget(userID: Int64, key: String, in tx: WriteTransaction) throws {
        try tx.connection.run("DELETE FROM idempotency_keys WHERE tenant_id = ?1 AND user_id = ?2 AND key = ?3",
                              scope.tenantKey, userID, key)
    }

    /// Keeps the first call's result for the replays (once).
    public func keepResult(userID: Int64, key: String, resultJSON: String, in tx: WriteTransaction) throws {
        try tx.connection.run("""
            UPDATE idempotency_keys SET result_json = ?4 WHERE tenant_id = ?1 AND user_id = ?2 AND key = ?3 AND result_json = ''
            """, scope.tenantKey, userID, key, resultJSON)
    }
}
