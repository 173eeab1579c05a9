public import DeskgateSQL
import DeskgateModel

/// Row decoding and column bindings for the model's Ticket types.
extension ActState: SQLBindable, StoredSpelling {
    static let spellings = Spellings<ActState>()
}

extension TicketPriority: SQLBindable, StoredSpelling {
    static let spellings = Spellings<TicketPriority>()
}

extension TicketStatus: SQLBindable, StoredSpelling {
    static let spellings = Spellings<TicketStatus>()
}

extension Ticket {
    static let columns = """
        id, tenant_id, number, subject, status, priority, department_id, assignee_id, creator_id, \
        requester_contact_id, parent_ticket_id, workflow_version_id, node_id, act_state, created_at, \
        updated_at, resolved_at
        """

    static let columnCount: Int32 = 17

    /// `columns` with each name qualified, e.g. `t.id, t.tenant_id, …`, for joins.
    static func columns(prefix: String) -> String {
        columns.split(separator: ",").map { prefix + $0.drop(while: { $0 == " " }) }.joined(separator: ", ")
    }

    init(row: any SQLRow) throws {
        self.init(id: row.int64(0), tenantID: row.int64(1), number: row.int64(2), subject: row.string(3),
                  status: try TicketStatus(row, column: 4), priority: try TicketPriority(row, column: 5),
                  departmentID: row.optionalInt64(6), assigneeID: row.optionalInt64(7), creatorID: row.optionalInt64(8),
                  requesterContactID: row.optionalInt64(9), parentTicketID: row.optionalInt64(10),
                  workflowVersionID: row.optionalInt64(11), nodeID: row.optionalInt64(12),
                  actState: try ActState(row, column: 13), createdAt: row.int64(14), updatedAt: row.int64(15),
                  resolvedAt: row.optionalInt64(16))
    }
}
