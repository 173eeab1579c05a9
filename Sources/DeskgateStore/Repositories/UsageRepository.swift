public import DeskgateSQL

/// MCP use per subject and clock hour (`mcp_usage`, migration 19), as the limiters share it
/// and the pages show it. Rows of many tenants are added in one sync, each statement naming
/// its own tenant (row-level security on PostgreSQL).
public struct UsageRepository: Sendable {
    public init() {}

    /// A subject's counts: what one sync adds, or the sum over some hours.
    public struct Row: Sendable, Equatable {
        public let subject: String
        public let userID: Int64?
        public let tokenID: Int64?
        public let clientID: String?
        public let calls: Int
        public let writes: Int
        public let refused: Int

        public init(subject: String, userID: Int64?, tokenID: Int64?, clientID: String?, calls: Int, writes: Int, refused: Int) {
            self.subject = subject
            self.userID = userID
            self.tokenID = tokenID
            self.clientID = clientID
            self.calls = calls
            self.writes = writes
            self.refused = refused
        }
    }

    /// One sync's counts for one subject in one clock hour, added to the deployment's totals.
    public struct Addition: Sendable {
        public let tenantID: Int64
        public let hour: Int64
        public let row: Row

        public init(tenantID: Int64, hour: Int64, row: Row) {
            self.tenantID = tenantID
            self.hour = hour
            self.row = row
        }
    }

    /// Adds the counts and returns the row's totals (every process's) after the addition.
    public func add(_ addition: Addition, in tx: WriteTransaction) throws -> (calls: Int, writes: Int) {
        try tx.connection.queryOne("""
            INSERT INTO mcp_usage (tenant_id, subject, hour, user_id, token_id, client_id, calls, writes, refused)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            ON CONFLICT (tenant_id, subject, hour) DO UPDATE SET calls = mcp_usage.calls + excluded.calls,
                writes = mcp_usage.writes + excluded.writes, refused = mcp_usage.refused + excluded.refused
            RETURNING calls, writes
            """, RowTenant(addition.tenantID), addition.row.subject, addition.hour, addition.row.userID,
            addition.row.tokenID, addition.row.clientID, addition.row.calls, addition.row.writes, addition.row.refused) {
            (calls: Int($0.int64(0)), writes: Int($0.int64(1)))
        } ?? (addition.row.calls, addition.row.writes)
    }

    /// Every subject of the tenant with use since `hour` (inclusive), optionally one user's only.
    public func totals(tenantID: Int64, sinceHour hour: Int64, userID: Int64? = nil,
                       on db: any SQLConnection) throws -> [Row] {
        try db.queryAll("""
            SELECT subject, MAX(user_id), MAX(token_id), MAX(client_id),
                   CAST(SUM(calls) AS BIGINT), CAST(SUM(writes) AS BIGINT), CAST(SUM(refused) AS BIGINT)
            FROM mcp_usage WHERE tenant_id = ?1 AND hour >= ?2 AND (?3 = 0 OR user_id = ?3)
            GROUP BY subject ORDER BY subject
            """, RowTenant(tenantID), hour, userID ?? 0) {
            Row(subject: $0.string(0), userID: $0.optionalInt64(1), tokenID: $0.optionalInt64(2),
                clientID: $0.optionalString(3), calls: Int($0.int64(4)), writes: Int($0.int64(5)),
                refused: Int($0.int64(6)))
        }
    }
}
