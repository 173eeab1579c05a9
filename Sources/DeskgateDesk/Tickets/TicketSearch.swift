public import DeskgateModel

/// What `search_tickets` asks for. Every criterion is optional and they combine with AND.
/// Times are unix milliseconds; `…After` is inclusive, `…Before` exclusive.
public struct TicketSearch: Sendable, Equatable {
    /// Words that must all appear in the subject or in the messages (any order).
    public var text: String?
    public var statuses: [TicketStatus] = []
    public var priorities: [TicketPriority] = []
    public var departmentID: Int64?
    public var assigneeID: Int64?
    /// Only tickets nobody is assigned to (cannot be combined with `assigneeID`).
    public var unassigned = false
    public var tag: String?
    public var createdAfter: Int64?
    public var createdBefore: Int64?
    public var updatedAfter: Int64?
    public var updatedBefore: Int64?
    /// 1...100.
    public var limit = 20
    /// `nextCursor` of the previous page of the very same search.
    public var cursor: String?

    public init(text: String? = nil, statuses: [TicketStatus] = [], priorities: [TicketPriority] = [],
                departmentID: Int64? = nil, assigneeID: Int64? = nil, unassigned: Bool = false, tag: String? = nil,
                createdAfter: Int64? = nil, createdBefore: Int64? = nil, updatedAfter: Int64? = nil,
                updatedBefore: Int64? = nil, limit: Int = 20, cursor: String? = nil) {
        self.text = text
        self.statuses = statuses
        self.priorities = priorities
        self.departmentID = departmentID
        self.assigneeID = assigneeID
        self.unassigned = unassigned
        self.tag = tag
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.updatedAfter = updatedAfter
        self.updatedBefore = updatedBefore
        self.limit = limit
        self.cursor = cursor
    }

    /// The criteria without paging, as text: a cursor carries a hash of it, so a cursor from
    /// one search is refused by another instead of silently skipping rows.
    public var fingerprint: String {
        let parts: [String] = [
            text?.trimmed.lowercased() ?? "", statuses.map(\.rawValue).sorted().joined(separator: ","),
            priorities.map(\.rawValue).sorted().joined(separator: ","), departmentID.map(String.init) ?? "",
            assigneeID.map(String.init) ?? "", unassigned ? "u" : "", tag?.trimmed.lowercased() ?? "",
            createdAfter.map(String.init) ?? "", createdBefore.map(String.init) ?? "",
            updatedAfter.map(String.init) ?? "", updatedBefore.map(String.init) ?? "",
        ]
        return parts.joined(separator: "|")
    }
}

/// One search hit: enough to pick a ticket; fetch metadata or context for the rest.
public struct TicketSummary: Sendable, Equatable {
    public let id: Int64
    public let number: Int64
    public let subject: String
    public let status: TicketStatus
    public let priority: TicketPriority
    public let departmentName: String?
    public let assigneeName: String?
    public let updatedAt: Int64
    /// The workflow the ticket follows ("Support" for help-desk tickets) and the nodes it waits
    /// at (none once a stored workflow ended): a model sees before it acts that a ticket has steps.
    public let workflowName: String
    public let workflowNodes: [String]
    /// Words around the first text match, matches in [brackets]; nil when no text was searched.
    public let snippet: String?
    /// Who wrote the subject (the ticket's creator: an agent, else the requesting customer).
    public let subjectAuthorKind: AuthorKind
}

public struct TicketSearchPage: Sendable, Equatable {
    public let tickets: [TicketSummary]
    public let nextCursor: String?
}
