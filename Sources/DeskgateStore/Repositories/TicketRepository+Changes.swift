public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

/// Single-ticket changes made by the help-desk commands. Each returns false when the ticket
/// is not in this tenant, and bumps updated_at so the change surfaces in "recently updated".
extension TicketRepository {
    /// Status and act_state together: resolving finishes the ticket's flow, reopening resumes it.
    /// resolved_at is set on the way into resolved/closed and cleared on the way out.
    @discardableResult
    public func setStatus(_ status: TicketStatus, actState: ActState, ticketID: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("""
            UPDATE tickets SET status = ?3, act_state = ?4, updated_at = \(tx.connection.dialect.greatest("updated_at", "?5")),
                resolved_at = CASE WHEN ?3 IN ('resolved', 'closed') THEN coalesce(resolved_at, ?5) ELSE NULL END
            WHERE tenant_id = ?1 AND id = ?2
            """, scope.tenantKey, ticketID, status, actState, WallClock.milliseconds()) > 0
    }

    /// Sets (or clears, with nil) the assignee and records the new assignee as a participant.
    @discardableResult
    public func setAssignee(_ userID: Int64?, ticketID: Int64, in tx: WriteTransaction) throws -> Bool {
        let changed = try tx.connection.run("""
            UPDATE tickets SET assignee_id = ?3, updated_at = \(tx.connection.dialect.greatest("updated_at", "?4")) WHERE tenant_id = ?1 AND id = ?2
            """, scope.tenantKey, ticketID, userID, WallClock.milliseconds()) > 0
        if changed, let userID {
            try tx.connection.run("""
                INSERT INTO ticket_participants (tenant_id, ticket_id, user_id, as_assignee) VALUES (?1, ?2, ?3, 1)
                ON CONFLICT (tenant_id, ticket_id, user_id) DO UPDATE SET as_assignee = 1
                """, scope.tenantKey, ticketID, userID)
        }
        return changed
    }

    /// Moves the ticket to another department, setting the assignee in the same statement.
    @discardableResult
    public func setDepartment(_ departmentID: Int64, assigneeID: Int64?, ticketID: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("""
            UPDATE tickets SET department_id = ?3, assignee_id = ?4, updated_at = \(tx.connection.dialect.greatest("updated_at", "?5"))
            WHERE tenant_id = ?1 AND id = ?2
            """, scope.tenantKey, ticketID, departmentID, assigneeID, WallClock.milliseconds()) > 0
    }

    /// Marks the ticket as just changed (tags are rows of their own, not ticket columns).
    @discardableResult
    public func touch(ticketID: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("UPDATE tickets SET updated_at = \(tx.connection.dialect.greatest("updated_at", "?3")) WHERE tenant_id = ?1 AND id = ?2",
                              scope.tenantKey, ticketID, WallClock.milliseconds()) > 0
    }

    /// The stored workflow a ticket follows and the names of the nodes it waits at (none once it
    /// ended), in position order; nil for a help-desk ticket (the built-in Support workflow).
    public func workflowPlace(ticketID: Int64, on db: any SQLConnection) throws -> (workflow: String, nodes: [String])? {
        // One read: the workflow's name on every row, one row per position (a NULL node once ended).
        // Pinned, each row by key in this order: stale statistics read the version's tickets, or
        // every version and workflow of the tenant.
        let keyed = db.dialect.notIndexed
        let rows = try db.queryAll("""
            SELECT w.name, n.name FROM tickets t\(keyed)
            \(db.dialect.orderedJoin) workflow_versions v\(keyed) ON v.tenant_id = t.tenant_id AND v.id = t.workflow_version_id
            \(db.dialect.orderedJoin) workflows w\(keyed) ON w.tenant_id = v.tenant_id AND w.id = v.workflow_id
            LEFT JOIN ticket_positions p\(db.dialect.indexedBy("ticket_positions_by_ticket")) ON p.tenant_id = t.tenant_id AND p.ticket_id = t.id
            LEFT JOIN workflow_nodes n ON n.tenant_id = p.tenant_id AND n.id = p.node_id
            WHERE t.tenant_id = ?1 AND t.id = ?2 ORDER BY p.id
            """, scope.tenantKey, ticketID) { (workflow: $0.string(0), node: $0.optionalString(1)) }
        guard let first = rows.first else { return nil }
        return (first.workflow, rows.compactMap(\.node))
    }

    /// The name of the workflow node the ticket stands in, if it is in a workflow.
    public func workflowNodeName(ticketID: Int64, on db: any SQLConnection) throws -> String? {
        try db.queryOne("""
            SELECT n.name FROM tickets t JOIN workflow_nodes n ON n.tenant_id = t.tenant_id AND n.id = t.node_id
            WHERE t.tenant_id = ?1 AND t.id = ?2
            """, scope.tenantKey, ticketID) { $0.string(0) }
    }
}
