public import DeskgateModel

/// Everything about a ticket except its thread (`get_ticket_metadata`).
public struct TicketMetadata: Sendable, Equatable {
    public let id: Int64
    public let number: Int64
    public let subject: String
    public let status: TicketStatus
    public let priority: TicketPriority
    public let department: DepartmentRef?
    public let assignee: PersonRef?
    public let creator: PersonRef?
    /// The customer contact who raised the ticket.
    public let requester: PersonRef?
    public let tags: [String]
    public let createdAt: Int64
    public let updatedAt: Int64
    public let resolvedAt: Int64?
    /// The workflow node (state) the ticket stands in, when it is in a workflow.
    public let workflowNode: String?
    public let messageCount: Int
    /// What the asking actor may do now (`TicketAction` raw values), Loonflow-style, so a
    /// model can plan a change without trial and error.
    public let allowedActions: [String]
}
