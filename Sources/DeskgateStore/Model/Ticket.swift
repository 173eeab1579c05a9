public enum TicketStatus: String, Sendable, CaseIterable, SQLBindable, StoredSpelling {
    case new, open, pending, resolved, closed

    static let spellings = Spellings<TicketStatus>()
}

public enum TicketPriority: String, Sendable, CaseIterable, SQLBindable, StoredSpelling {
    case low, normal, high, urgent

    static let spellings = Spellings<TicketPriority>()
}

/// Where a ticket stands in its workflow (Loonflow's act_state).
public enum ActState: String, Sendable, CaseIterable, SQLBindable, StoredSpelling {
    case inDraft = "in_draft", onGoing = "on_going", rejected, withdrawn, finished, closed

    static let spellings = Spellings<ActState>()
}

public struct Ticket: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    /// Per-tenant number people quote ("#42"); starts at 1 in every tenant.
    public let number: Int64
    public var subject: String
    public var status: TicketStatus
    public var priority: TicketPriority
    public var departmentID: Int64?
    public var assigneeID: Int64?
    public var creatorID: Int64?
    public var requesterContactID: Int64?
    public var parentTicketID: Int64?
    public var workflowVersionID: Int64?
    public var nodeID: Int64?
    public var actState: ActState
    public let createdAt: Int64
    public var updatedAt: Int64
    public var resolvedAt: Int64?

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

    init(row: Statement) throws {
        id = row.int64(0)
        tenantID = row.int64(1)
        number = row.int64(2)
        subject = row.string(3)
        status = try row.value(TicketStatus.self, 4)
        priority = try row.value(TicketPriority.self, 5)
        departmentID = row.optionalInt64(6)
        assigneeID = row.optionalInt64(7)
        creatorID = row.optionalInt64(8)
        requesterContactID = row.optionalInt64(9)
        parentTicketID = row.optionalInt64(10)
        workflowVersionID = row.optionalInt64(11)
        nodeID = row.optionalInt64(12)
        actState = try row.value(ActState.self, 13)
        createdAt = row.int64(14)
        updatedAt = row.int64(15)
        resolvedAt = row.optionalInt64(16)
    }
}

public struct NewTicket: Sendable {
    public var subject: String
    public var status: TicketStatus
    public var priority: TicketPriority
    public var departmentID: Int64?
    public var assigneeID: Int64?
    public var creatorID: Int64?
    public var requesterContactID: Int64?
    public var parentTicketID: Int64?
    public var workflowVersionID: Int64?
    public var nodeID: Int64?
    public var actState: ActState
    /// Unix milliseconds; nil means now. The demo generator back-dates tickets.
    public var createdAt: Int64?
    /// Unix milliseconds of the last activity; nil means the creation time. Imports and the
    /// demo generator set it to the thread's last message, so "recently updated" means something.
    public var updatedAt: Int64?

    public init(subject: String, status: TicketStatus = .new, priority: TicketPriority = .normal,
                departmentID: Int64? = nil, assigneeID: Int64? = nil, creatorID: Int64? = nil,
                requesterContactID: Int64? = nil, parentTicketID: Int64? = nil,
                workflowVersionID: Int64? = nil, nodeID: Int64? = nil, actState: ActState = .onGoing,
                createdAt: Int64? = nil) {
        self.subject = subject
        self.status = status
        self.priority = priority
        self.departmentID = departmentID
        self.assigneeID = assigneeID
        self.creatorID = creatorID
        self.requesterContactID = requesterContactID
        self.parentTicketID = parentTicketID
        self.workflowVersionID = workflowVersionID
        self.nodeID = nodeID
        self.actState = actState
        self.createdAt = createdAt
    }
}
