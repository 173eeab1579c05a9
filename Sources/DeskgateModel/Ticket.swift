public enum TicketStatus: String, Sendable, CaseIterable {
    case new, open, pending, resolved, closed

}

public enum TicketPriority: String, Sendable, CaseIterable {
    case low, normal, high, urgent

}

/// Where a ticket stands in its workflow (Loonflow's act_state).
public enum ActState: String, Sendable, CaseIterable {
    case inDraft = "in_draft", onGoing = "on_going", rejected, withdrawn, finished, closed

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

    public init(id: Int64, tenantID: Int64, number: Int64, subject: String, status: TicketStatus,
                priority: TicketPriority, departmentID: Int64?, assigneeID: Int64?, creatorID: Int64?,
                requesterContactID: Int64?, parentTicketID: Int64?, workflowVersionID: Int64?, nodeID: Int64?,
                actState: ActState, createdAt: Int64, updatedAt: Int64, resolvedAt: Int64?) {
        self.id = id
        self.tenantID = tenantID
        self.number = number
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
        self.updatedAt = updatedAt
        self.resolvedAt = resolvedAt
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
