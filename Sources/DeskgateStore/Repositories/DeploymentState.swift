public import DeskgateSQL

/// State of the whole deployment that every process reads and writes alike: shared secrets,
/// limit counters and ended MCP sessions. Not tenant-owned: keys name the tenant where a
/// limit is per tenant.
public struct DeploymentState: Sendable {
    public init() {}

    // MARK: secrets

    /// The named secret: `fresh` stored by the first process that asks; every later (or
    /// concurrent) ask reads the stored one, so all processes end up with the same bytes.
    public func secret(named name: String, fresh: [UInt8], at time: Int64, in tx: WriteTransaction) throws -> [UInt8] {
        try tx.connection.run("""
            INSERT INTO deployment_secrets (name, secret, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING
            """, name, fresh, time)
        return try tx.connection.queryOne("SELECT secret FROM deployment_secrets WHERE name = ?1", name) { $0.blob(0) } ?? fresh
    }

    // MARK: fixed-window counters

    /// Counts one event for `key` and returns the window's count including it: a window older
    /// than `windowMilliseconds` starts over. One statement, so concurrent processes count
    /// exactly.
    public func count(_ key: String, windowMilliseconds: Int64, at now: Int64, in tx: WriteTransaction) throws -> Int {
        try tx.connection.queryOne("""
            INSERT INTO rate_windows (window_key, window_start, count) VALUES (?1, ?2, 1)
            ON CONFLICT (window_key) DO UPDATE SET
                count = CASE WHEN rate_windows.window_start <= ?2 - ?3 THEN 1 ELSE rate_windows.count + 1 END,
                window_start = CASE WHEN rate_windows.window_start <= ?2 - ?3 THEN ?2 ELSE rate_windows.window_start END
            RETURNING count
            """, key, now, windowMilliseconds) { $0.int(0) } ?? 1
    }

    /// Events of `key` in its current window.
    public func events(_ key: String, windowMilliseconds: Int64, at now: Int64, on db: any SQLConnection) throws -> Int {
        try db.queryOne("SELECT count FROM rate_windows WHERE window_key = ?1 AND window_start > ?2 - ?3",
                        key, now, windowMilliseconds) { $0.int(0) } ?? 0
    }

    public func reset(_ key: String, in tx: WriteTransaction) throws {
        try tx.connection.run("DELETE FROM rate_windows WHERE window_key = ?1", key)
    }

    // MARK: ended MCP sessions

    /// Records the end of a session (false when it had already ended) and bumps the
    /// revocation counter, so every process re-checks the sessions it had confirmed.
    public func endSession(digest: String, tenantID: Int64, at time: Int64, in tx: WriteTransaction) throws -> Bool {
        let inserted = try tx.connection.run("""
            INSERT INTO mcp_session_ends (session_digest, tenant_id, ended_at) VALUES (?1, ?2, ?3)
            ON CONFLICT (session_digest) DO NOTHING
            """, digest, tenantID, time) > 0
        if inserted { try RevocationCounter().bump(in: tx) }
        return inserted
    }

    public func sessionEnded(digest: String, on db: any SQLConnection) throws -> Bool {
        try db.queryOne("SELECT 1 FROM mcp_session_ends WHERE session_digest = ?1", digest) { _ in true } ?? false
    }

    // MARK: sweep

    /// Deletes what no process can use any more: pending consent and flashes made before
    /// `before`, counters whose window started before `windowsBefore`, session ends older than
    /// `sessionEndsBefore` (a session that old is refused for its age alone). Returns the rows removed.
    @discardableResult
    public func sweep(before: Int64, windowsBefore: Int64, sessionEndsBefore: Int64, in tx: WriteTransaction) throws -> Int {
        try tx.connection.acrossTenants {
            try tx.connection.run("DELETE FROM pending_authorizations WHERE created_at < ?1", before)
                + tx.connection.run("DELETE FROM page_flashes WHERE created_at < ?1", before)
        }
            + tx.connection.run("DELETE FROM rate_windows WHERE window_start < ?1", windowsBefore)
            + tx.connection.run("DELETE FROM mcp_session_ends WHERE ended_at < ?1", sessionEndsBefore)
    }
}
