public import DeskgateSQL
public import DeskgateModel

extension TenantScope {
    public var approvals: ApprovalRepository { ApprovalRepository(scope: self) }
}

/// Approvals (issue 18) and the approval policy tokens and grants carry. Every change of an
/// approval's state is one conditional UPDATE, so two processes deciding or using the same
/// approval at once cannot both succeed.
public struct ApprovalRepository: Sendable {
    public let scope: TenantScope

    static let columns = """
        id, tenant_id, user_id, token_id, client_id, tool, arguments_json, arguments_digest, ticket_id, preview_json,
        created_at, expires_at, decision, decided_at, used_at
        """

    public func add(_ approval: Approval, in tx: WriteTransaction) throws {
        try tx.connection.run("""
            INSERT INTO approvals (id, tenant_id, user_id, token_id, client_id, tool, arguments_json, arguments_digest,
                                   ticket_id, preview_json, created_at, expires_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            """, approval.id, scope.tenantKey, approval.userID, approval.tokenID, approval.clientID, approval.tool,
            approval.argumentsJSON, approval.argumentsDigest, approval.ticketID, approval.previewJSON,
            approval.createdAt, approval.expiresAt)
    }

    public func byID(_ id: String, on db: any SQLConnection) throws -> Approval? {
        try db.queryOne("SELECT \(Self.columns) FROM approvals WHERE tenant_id = ?1 AND id = ?2",
                        scope.tenantKey, id, map: Self.approval)
    }

    /// The newest approval still waiting or approved and unused for exactly this call (user,
    /// credential, tool, argument digest): what a retry that names no approval finds.
    public func latestOpen(userID: Int64, tokenID: Int64?, clientID: String?, tool: String, argumentsDigest: String,
                           now: Int64, on db: any SQLConnection) throws -> Approval? {
        try db.queryOne("""
            SELECT \(Self.columns) FROM approvals
            WHERE tenant_id = ?1 AND user_id = ?2 AND tool = ?3 AND arguments_digest = ?4
              AND coalesce(token_id, 0) = ?5 AND coalesce(client_id, '') = ?6
              AND used_at IS NULL AND expires_at > ?7 AND (decision IS NULL OR decision = 'approved')
            ORDER BY created_at DESC LIMIT 1
            """, scope.tenantKey, userID, tool, argumentsDigest, tokenID ?? 0, clientID ?? "", now, map: Self.approval)
    }

    /// One user's approvals, newest first: those still waiting (`pendingOnly`) or all recent ones.
    public func list(forUser userID: Int64, pendingOnly: Bool, now: Int64, limit: Int = 50,
                     on db: any SQLConnection) throws -> [Approval] {
        try db.queryAll("""
            SELECT \(Self.columns) FROM approvals
            WHERE tenant_id = ?1 AND user_id = ?2
              AND (?3 = 0 OR (decision IS NULL AND used_at IS NULL AND expires_at > ?4))
            ORDER BY created_at DESC LIMIT ?5
            """, scope.tenantKey, userID, pendingOnly ? 1 : 0, now, limit, map: Self.approval)
    }

    /// Records the person's decision if the approval is theirs, still undecided and not expired.
    public func decide(_ id: String, userID: Int64, approve: Bool, at time: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("""
            UPDATE approvals SET decision = ?4, decided_at = ?5
            WHERE tenant_id = ?1 AND id = ?2 AND user_id = ?3 AND decision IS NULL AND used_at IS NULL AND expires_at > ?5
            """, scope.tenantKey, id, userID, approve ? "approved" : "declined", time) == 1
    }

    /// Marks an approved approval used, once: false when it is not approved, already used or
    /// expired. Called inside the write it approves, so the two commit or roll back together.
    public func use(_ id: String, at time: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("""
            UPDATE approvals SET used_at = ?3
            WHERE tenant_id = ?1 AND id = ?2 AND decision = 'approved' AND used_at IS NULL AND expires_at > ?3
            """, scope.tenantKey, id, time) == 1
    }

    // MARK: Policies of apps (a token's is a column of its own row: `PersonalAccessToken.approval`)

    /// The policy the user's live grant for `clientID` adds ('' none).
    public func grantPolicy(userID: Int64, clientID: String, on db: any SQLConnection) throws -> String {
        try db.queryOne("""
            SELECT approval FROM oauth_grants WHERE tenant_id = ?1 AND user_id = ?2 AND client_id = ?3 AND revoked_at IS NULL
            """, scope.tenantKey, userID, clientID) { $0.string(0) } ?? ""
    }

    public func setGrantPolicy(_ policy: String, grantID: Int64, in tx: WriteTransaction) throws {
        try tx.connection.run("UPDATE oauth_grants SET approval = ?3 WHERE tenant_id = ?1 AND id = ?2",
                              scope.tenantKey, grantID, policy)
    }

    private static func approval(_ row: any SQLRow) throws -> Approval {
        Approval(id: row.string(0), tenantID: row.int64(1), userID: row.int64(2), tokenID: row.optionalInt64(3),
                 clientID: row.optionalString(4), tool: row.string(5), argumentsJSON: row.string(6),
                 argumentsDigest: row.string(7), ticketID: row.optionalInt64(8), previewJSON: row.string(9),
                 createdAt: row.int64(10), expiresAt: row.int64(11), decision: row.optionalString(12),
                 decidedAt: row.optionalInt64(13), usedAt: row.optionalInt64(14))
    }
}
