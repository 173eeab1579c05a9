public import DeskgateModel

/// How a caller names an agent to assign: the user id from `list_agents`, or the email.
public enum AgentSelector: Sendable, Equatable {
    case id(Int64)
    case email(String)

    /// Digits (optionally "#"-prefixed) are an id; anything with "@" is an email.
    public static func parse(_ text: String) throws -> AgentSelector {
        let trimmed = text.trimmed
        let digits = trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed
        if let id = Int64(digits), id > 0, digits.allSatisfy(\.isNumber) { return .id(id) }
        if trimmed.contains("@") { return .email(trimmed.lowercased()) }
        throw DeskError.invalid(field: "assignee", reason: "'\(text)' is neither a user id nor an email; use list_agents to find one")
    }

    var description: String {
        switch self {
        case .id(let id): "#\(id)"
        case .email(let email): "'\(email)'"
        }
    }
}

/// How a caller names a department: its id from `list_departments`, or its name (any case).
public enum DepartmentSelector: Sendable, Equatable {
    case id(Int64)
    case name(String)

    /// Digits are an id, anything else a name.
    public static func parse(_ text: String) -> DepartmentSelector {
        let trimmed = text.trimmed
        if let id = Int64(trimmed), id > 0, trimmed.allSatisfy(\.isNumber) { return .id(id) }
        return .name(trimmed)
    }

    var description: String {
        switch self {
        case .id(let id): "#\(id)"
        case .name(let name): "'\(name)'"
        }
    }
}

/// A new ticket as `create_ticket` describes it.
public struct TicketDraft: Sendable, Equatable {
    public var subject: String
    /// The first message, written by the creating agent.
    public var body: String
    public var priority: TicketPriority
    public var department: DepartmentSelector?
    public var requesterEmail: String?
    public var requesterName: String?
    public var tags: [String]
    public var assignee: AgentSelector?
    /// The ticket the new one is a child of (`SubTickets`).
    public var parent: TicketRef?

    public init(subject: String, body: String, priority: TicketPriority = .normal, department: DepartmentSelector? = nil,
                requesterEmail: String? = nil, requesterName: String? = nil, tags: [String] = [],
                assignee: AgentSelector? = nil, parent: TicketRef? = nil) {
        self.parent = parent
        self.subject = subject
        self.body = body
        self.priority = priority
        self.department = department
        self.requesterEmail = requesterEmail
        self.requesterName = requesterName
        self.tags = tags
        self.assignee = assignee
    }
}
