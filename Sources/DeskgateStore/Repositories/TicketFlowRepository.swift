public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

extension TenantScope {
    public var ticketFlow: TicketFlowRepository { TicketFlowRepository(scope: self) }
}

/// The workflow side of tickets: the graph of the version a ticket pins, where the ticket
/// waits, its form values, who relates to it, and the workflow permissions of a user.
public struct TicketFlowRepository: Sendable {
    public let scope: TenantScope

    /// The whole graph of one version of this tenant, or nil.
    public func graph(versionID: Int64, on db: any SQLConnection) throws -> WorkflowGraphRows? {
        let tenant = scope.tenantKey
        guard let version = try db.queryOne("""
            SELECT \(WorkflowVersion.columns) FROM workflow_versions WHERE tenant_id = ?1 AND id = ?2
            """, tenant, versionID, map: { try WorkflowVersion(row: $0) }),
              let workflow = try scope.workflows.byID(version.workflowID, on: db) else { return nil }
        let nodes = try db.queryAll("""
            SELECT id, key, name, type, participant_type, participant_value, allow_withdraw, distribution
            FROM workflow_nodes WHERE tenant_id = ?1 AND version_id = ?2 ORDER BY sort_order, id
            """, tenant, versionID) {
            WorkflowNodeRow(id: $0.int64(0), key: $0.string(1), name: $0.string(2), type: $0.string(3),
                            participantType: $0.optionalString(4), participantValue: $0.optionalString(5),
                            allowWithdraw: $0.bool(6), distribution: $0.string(7))
        }
        // Pinned to (tenant, version, …): statistics of a small table chose to scan every tenant's.
        let transitions = try db.queryAll("""
            SELECT id, key, name, from_node_id, to_node_id, type, condition_json, props_json
            FROM workflow_transitions\(db.dialect.indexedBy("sqlite_autoindex_workflow_transitions_1")) WHERE tenant_id = ?1 AND version_id = ?2 ORDER BY id
            """, tenant, versionID) {
            WorkflowTransitionRow(id: $0.int64(0), key: $0.string(1), name: $0.string(2), fromNodeID: $0.int64(3),
                                  toNodeID: $0.int64(4), type: $0.string(5), conditionJSON: $0.optionalString(6),
                                  propsJSON: $0.string(7))
        }
        let fields = try db.queryAll("""
            SELECT id, key, label, type, options_json FROM workflow_fields
            WHERE tenant_id = ?1 AND version_id = ?2 ORDER BY sort_order, id
            """, tenant, versionID) {
            WorkflowFieldRow(id: $0.int64(0), key: $0.string(1), label: $0.string(2), type: $0.string(3),
                             optionsJSON: $0.optionalString(4))
        }
        // The version's nodes first (CROSS JOIN), then each one's rows: never the tenant's every row.
        let access = try db.queryAll("""
            SELECT p.node_id, p.field_id, p.permission FROM workflow_nodes n
            \(db.dialect.orderedJoin) workflow_field_permissions p ON p.tenant_id = n.tenant_id AND p.node_id = n.id
            WHERE n.tenant_id = ?1 AND n.version_id = ?2
            """, tenant, versionID) { WorkflowFieldAccessRow(nodeID: $0.int64(0), fieldID: $0.int64(1), permission: $0.string(2)) }
        return WorkflowGraphRows(workflow: workflow, version: version, nodes: nodes, transitions: transitions,
                                 fields: fields, fieldAccess: access)
    }

    public func positions(ticketID: Int64, on db: any SQLConnection) throws -> [FlowPosition] {
        try db.queryAll("""
            SELECT \(Self.positionColumns) FROM ticket_positions WHERE tenant_id = ?1 AND ticket_id = ?2 ORDER BY id
            """, scope.tenantKey, ticketID) { Self.position($0) }
    }

    /// `positions(ticketID:)` for every ticket of a page in one statement (a listing showed each
    /// ticket's nodes with a statement per ticket). Tickets with no position are absent.
    public func positions(ticketIDs: some Collection<Int64>, on db: any SQLConnection) throws -> [Int64: [FlowPosition]] {
        guard !ticketIDs.isEmpty else { return [:] }
        let rows = try db.queryAll("""
            SELECT ticket_id, \(Self.positionColumns) FROM ticket_positions
            WHERE tenant_id = ? AND \(db.dialect.isMember("ticket_id", ofJSONArray: "?")) ORDER BY ticket_id, id
            """, bindings: [scope.tenantKey, ticketIDs.jsonArray]) { (ticket: $0.int64(0), position: Self.position($0, from: 1)) }
        return Dictionary(grouping: rows, by: \.ticket).mapValues { $0.map(\.position) }
    }

    private static let positionColumns = "node_id, assignee_ids, awaiting_pickup, consultant_id, consulted_by_id, acted_ids, entered_at"

    private static func position(_ row: any SQLRow, from first: Int32 = 0) -> FlowPosition {
        FlowPosition(nodeID: row.int64(first), assigneeIDs: ids(row.string(first + 1)), awaitingPickup: row.bool(first + 2),
                     consultantID: row.optionalInt64(first + 3), consultedByID: row.optionalInt64(first + 4),
                     actedIDs: ids(row.string(first + 5)), enteredAt: row.int64(first + 6))
    }

    /// Replaces where the ticket waits, in the caller's transaction.
    public func setPositions(_ positions: [FlowPosition], ticketID: Int64, in tx: WriteTransaction) throws {
        let db = tx.connection
        try db.run("DELETE FROM ticket_positions WHERE tenant_id = ?1 AND ticket_id = ?2", scope.tenantKey, ticketID)
        for p in positions {
            try db.run("""
                INSERT INTO ticket_positions (tenant_id, ticket_id, node_id, assignee_ids, awaiting_pickup, consultant_id,
                                              consulted_by_id, acted_ids, entered_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                """, scope.tenantKey, ticketID, p.nodeID, Self.text(p.assigneeIDs), p.awaitingPickup, p.consultantID,
                p.consultedByID, Self.text(p.actedIDs), p.enteredAt)
        }
    }

    /// Form values by field id, as stored JSON text.
    public func fieldValues(ticketID: Int64, on db: any SQLConnection) throws -> [Int64: String] {
        let rows = try db.queryAll("""
            SELECT field_id, value_json FROM ticket_field_values WHERE tenant_id = ?1 AND ticket_id = ?2
            """, scope.tenantKey, ticketID) { ($0.int64(0), $0.string(1)) }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    public func setFieldValue(_ json: String, fieldID: Int64, ticketID: Int64, in tx: WriteTransaction) throws {
        try tx.connection.run("""
            INSERT INTO ticket_field_values (tenant_id, ticket_id, field_id, value_json) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (tenant_id, ticket_id, field_id) DO UPDATE SET value_json = excluded.value_json
            """, scope.tenantKey, ticketID, fieldID, json)
    }

    /// Sets one relation flag of a user to a ticket (creating the row on first contact).
    public func relate(userID: Int64, ticketID: Int64, as relation: TicketRelation, _ on: Bool = true, in tx: WriteTransaction) throws {
        try tx.connection.run("""
            INSERT INTO ticket_participants (tenant_id, ticket_id, user_id, \(relation.rawValue), in_workflow, ticket_created_at, ticket_title)
            SELECT ?1, ?2, ?3, ?4, 1, created_at, subject FROM tickets WHERE tenant_id = ?1 AND id = ?2
            ON CONFLICT (tenant_id, ticket_id, user_id) DO UPDATE SET \(relation.rawValue) = excluded.\(relation.rawValue),
                in_workflow = 1, ticket_created_at = excluded.ticket_created_at, ticket_title = excluded.ticket_title
            """, scope.tenantKey, ticketID, userID, on)
    }

    /// Clears the assignee flag of everyone on the ticket (before the new assignees are set).
    public func clearAssignees(ticketID: Int64, in tx: WriteTransaction) throws {
        try tx.connection.run("""
            UPDATE ticket_participants SET as_assignee = 0 WHERE tenant_id = ?1 AND ticket_id = ?2 AND as_assignee = 1
            """, scope.tenantKey, ticketID)
    }

    public func relations(userID: Int64, ticketID: Int64, on db: any SQLConnection) throws -> Set<TicketRelation> {
        try db.queryOne("""
            SELECT as_creator, as_assignee, as_processor, as_consultant, as_cc FROM ticket_participants
            WHERE tenant_id = ?1 AND ticket_id = ?2 AND user_id = ?3
            """, scope.tenantKey, ticketID, userID) { row in
            let all: [TicketRelation] = [.creator, .assignee, .processor, .consultant, .cc]
            return Set(all.enumerated().filter { row.bool(Int32($0.offset)) }.map(\.element))
        } ?? []
    }

    /// The workflow permissions (`view`, `intervene`, `admin`) a user holds on a workflow,
    /// directly or through one of their departments.
    public func permissions(workflowID: Int64, userID: Int64, departmentIDs: [Int64], on db: any SQLConnection) throws -> Set<String> {
        let departments = departmentIDs.map(String.init).joined(separator: ",")
        return Set(try db.queryAll("""
            SELECT DISTINCT permission FROM workflow_permissions
            WHERE tenant_id = ?1 AND workflow_id = ?2
              AND ((target_type = 'user' AND target_id = ?3)
                   OR (target_type = 'department' AND target_id IN (\(db.dialect.integers(inJSONArray: "'[' || ?4 || ']'")))))
            """, scope.tenantKey, workflowID, userID, departments) { $0.string(0) })
    }

    /// Moves the ticket's summary columns along with its positions.
    ///
    /// Only the columns that change are written: SQLite rewrites every index holding a column
    /// named in SET, changed or not, and `tickets` has a dozen. A transition that keeps status
    /// and state then leaves `tickets_by_status`, `tickets_open_by_department` and
    /// `workflow_tickets_by_created` alone (fewer log pages per commit, less to checkpoint).
    public func updateTicket(_ before: Ticket, nodeID: Int64?, actState: ActState, status: TicketStatus, assigneeID: Int64?,
                             at time: Int64, in tx: WriteTransaction) throws {
        var sets = ["updated_at = ?3"]
        var values: [any SQLBindable] = [scope.tenantKey, before.id, time]
        func set(_ column: String, _ value: any SQLBindable) {
            values.append(value)
            sets.append("\(column) = ?\(values.count)")
        }
        if nodeID != before.nodeID { set("node_id", nodeID) }
        if actState != before.actState { set("act_state", actState) }
        if assigneeID != before.assigneeID { set("assignee_id", assigneeID) }
        if status != before.status {
            set("status", status)
            sets.append("resolved_at = CASE WHEN ?\(values.count) IN ('resolved', 'closed') THEN COALESCE(resolved_at, ?3) ELSE NULL END")
        }
        try tx.connection.run("UPDATE tickets SET \(sets.joined(separator: ", ")) WHERE tenant_id = ?1 AND id = ?2",
                              bindings: values)
    }

    /// Of `ids`, the users who may act on tickets now (active, not viewers), in the given order.
    public func actors(among ids: [Int64], on db: any SQLConnection) throws -> [Int64] {
        // Pinned: the listed ids outside (CROSS JOIN), each user read by key; statistics of a small
        // table chose to scan every tenant's users.
        let able = Set(try db.queryAll("""
            SELECT u.id FROM (\(db.dialect.integers(inJSONArray: "'[' || ?2 || ']'"))) AS listed
            \(db.dialect.orderedJoin) users u\(db.dialect.notIndexed) ON u.id = listed.value
            WHERE u.tenant_id = ?1 AND u.is_active = 1 AND u.role <> 'viewer'
            """, scope.tenantKey, Self.text(ids)) { $0.int64(0) })
        return ids.filter(able.contains)
    }

    /// Members of a department who may act, by id.
    public func actors(inDepartment departmentID: Int64, on db: any SQLConnection) throws -> [Int64] {
        try db.queryAll("""
            SELECT u.id FROM department_members m JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
            WHERE m.tenant_id = ?1 AND m.department_id = ?2 AND u.is_active = 1 AND u.role <> 'viewer' ORDER BY u.id
            """, scope.tenantKey, departmentID) { $0.int64(0) }
    }

    /// Active users of a role, by id.
    public func actors(withRole role: String, on db: any SQLConnection) throws -> [Int64] {
        try db.queryAll("SELECT id FROM users WHERE tenant_id = ?1 AND role = ?2 AND is_active = 1 ORDER BY id",
                        scope.tenantKey, role) { $0.int64(0) }
    }

    static func ids(_ text: String) -> [Int64] { text.split(separator: ",").compactMap { Int64($0) } }
    static func text(_ ids: [Int64]) -> String { ids.map(String.init).joined(separator: ",") }
}
