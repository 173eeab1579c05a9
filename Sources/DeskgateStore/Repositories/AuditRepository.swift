public import DeskgateSQL
public import DeskgateModel

/// The MCP audit log (`mcp_audit`, migration 20). Rows of many tenants are inserted in one
/// flush, each statement naming its own tenant (row-level security on PostgreSQL); reads and
/// the retention sweep are per tenant.
public struct AuditRepository: Sendable {
    public init() {}

    static let columns = "id, tenant_id, at, user_id, token_id, client_id, tool, args_digest, tickets, outcome, reason, duration_ms, process"

    /// Inserts the batch (ids are the engine's), a tenant's rows in statements of many rows:
    /// a flush carries every call of the last second, so the per-statement work is shared
    /// (bench/mcp-ab.sh: one row per statement cost ~10 µs a call). Each statement holds one
    /// tenant's rows, its first binding the `RowTenant` (row-level security on PostgreSQL);
    /// statement sizes are 64, 16, 4 and 1 rows, so few statement texts are cached.
    public func insert(_ records: [AuditRecord], in tx: WriteTransaction) throws {
        var order: [Int64] = []
        var byTenant: [Int64: [AuditRecord]] = [:]
        for record in records {
            if byTenant[record.tenantID] == nil { order.append(record.tenantID) }
            byTenant[record.tenantID, default: []].append(record)
        }
        for tenantID in order {
            var rows = byTenant[tenantID]![...]
            while !rows.isEmpty {
                let size = Self.statementSizes.first { $0 <= rows.count }!
                let chunk = rows.prefix(size)
                rows = rows.dropFirst(size)
                var bindings: [any SQLBindable] = []
                bindings.reserveCapacity(size * 12)
                for (index, record) in chunk.enumerated() {
                    let tenant: any SQLBindable = index == 0 ? RowTenant(tenantID) : tenantID
                    bindings += [tenant, record.at, record.userID, record.tokenID, record.clientID, record.tool,
                                 record.argsDigest, record.tickets, record.outcome.rawValue, record.reason,
                                 Int64(record.durationMilliseconds), record.process]
                }
                _ = try tx.connection.run(Self.insertSQL[size]!, bindings: bindings)
            }
        }
    }

    static let statementSizes = [64, 16, 4, 1]
    static let insertSQL: [Int: String] = Dictionary(uniqueKeysWithValues: statementSizes.map { size in
        (size, """
            INSERT INTO mcp_audit (tenant_id, at, user_id, token_id, client_id, tool, args_digest, tickets, outcome, reason,
                                   duration_ms, process)
            VALUES \(Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: size).joined(separator: ", "))
            """)
    })

    /// Rows matching `filter`. `newestFirst`: ids below `cursor` (nil: from the newest), the
    /// admin page's "Older" pages; otherwise ids above `cursor`, oldest first, as exports read.
    public func page(tenantID: Int64, filter: AuditFilter, cursor: Int64?, newestFirst: Bool, limit: Int,
                     on db: any SQLConnection) throws -> [AuditRecord] {
        var clauses = ["tenant_id = ?"]
        var bindings: [any SQLBindable] = [RowTenant(tenantID)]
        if newestFirst {
            clauses.append("id < ?"); bindings.append(cursor ?? Int64.max)
        } else {
            clauses.append("id > ?"); bindings.append(cursor ?? 0)
        }
        if let userID = filter.userID { clauses.append("user_id = ?"); bindings.append(userID) }
        if let tokenID = filter.tokenID { clauses.append("token_id = ?"); bindings.append(tokenID) }
        if let clientID = filter.clientID { clauses.append("client_id = ?"); bindings.append(clientID) }
        if let tool = filter.tool { clauses.append("tool = ?"); bindings.append(tool) }
        if let outcome = filter.outcome { clauses.append("outcome = ?"); bindings.append(outcome.rawValue) }
        if let from = filter.from { clauses.append("at >= ?"); bindings.append(from) }
        if let until = filter.until { clauses.append("at < ?"); bindings.append(until) }
        return try db.queryAll("""
            SELECT \(Self.columns) FROM mcp_audit WHERE \(clauses.joined(separator: " AND "))
            ORDER BY id \(newestFirst ? "DESC" : "ASC") LIMIT ?
            """, bindings: bindings + [limit]) { row in
            AuditRecord(id: row.int64(0), tenantID: row.int64(1), at: row.int64(2), userID: row.optionalInt64(3),
                        tokenID: row.optionalInt64(4), clientID: row.optionalString(5), tool: row.string(6),
                        argsDigest: row.string(7), tickets: row.string(8),
                        outcome: AuditOutcome(rawValue: row.string(9)) ?? .error, reason: row.optionalString(10),
                        durationMilliseconds: row.int(11), process: row.string(12))
        }
    }

    /// Deletes at most `limit` of the tenant's rows older than `before` (oldest first, in the
    /// order of the (tenant, at) index, so no batch sorts the whole backlog); returns
    /// how many went. The sweep repeats it while a batch comes back full, so no transaction
    /// holds the writer for long.
    public func deleteOlder(tenantID: Int64, than before: Int64, limit: Int, in tx: WriteTransaction) throws -> Int {
        try tx.connection.run("""
            DELETE FROM mcp_audit WHERE tenant_id = ?1 AND id IN (
                SELECT id FROM mcp_audit WHERE tenant_id = ?1 AND at < ?2 ORDER BY at LIMIT ?3)
            """, RowTenant(tenantID), before, limit)
    }
}
