/// Which tickets a reader may see, expressed so the store can put it in the WHERE clause
/// (filtering after LIMIT would return short or empty pages).
public enum TicketVisibility: Sendable, Equatable {
    /// Every ticket of the tenant (admins).
    case all
    /// Tickets of these departments only (viewers).
    case departments([Int64])
    /// Tickets of these departments, plus those assigned to or created by the user (agents).
    case departmentsOrParticipant([Int64], userID: Int64)
}

/// A place in the newest-updated-first order: the last row of the previous page.
public struct TicketPosition: Sendable, Equatable {
    public let updatedAt: Int64
    public let id: Int64

    public init(updatedAt: Int64, id: Int64) {
        self.updatedAt = updatedAt
        self.id = id
    }
}

/// A ticket search as the store runs it: every criterion is optional and they combine with AND.
/// Times are unix milliseconds; `…After` is inclusive, `…Before` exclusive.
public struct TicketFilter: Sendable, Equatable {
    public var visibility: TicketVisibility = .all
    /// A tenant's MCP data limit (`MCPDataLimit`): only tickets of these departments, and only
    /// tickets carrying one of these tags. Empty: no limit of that kind.
    public var limitDepartmentIDs: [Int64] = []
    public var limitTagIDs: [Int64] = []
    /// Words that must each appear in the subject or in some message of the ticket.
    public var text: String?
    public var statuses: [TicketStatus] = []
    public var priorities: [TicketPriority] = []
    public var departmentID: Int64?
    public var assigneeID: Int64?
    public var unassignedOnly = false
    public var tagID: Int64?
    public var createdAfter: Int64?
    public var createdBefore: Int64?
    public var updatedAfter: Int64?
    public var updatedBefore: Int64?
    /// Continue after this row (exclusive).
    public var after: TicketPosition?
    public var limit = 20

    public init() {}
}

/// One search result row: the ticket plus a highlighted excerpt when text matched.
public struct TicketMatch: Sendable, Equatable {
    public let ticket: Ticket
    /// A few words around the first match, matches wrapped in [brackets]; nil without text.
    public let snippet: String?

    public init(ticket: Ticket, snippet: String?) {
        self.ticket = ticket
        self.snippet = snippet
    }
}
