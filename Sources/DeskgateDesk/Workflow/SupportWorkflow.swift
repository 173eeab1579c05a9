public import DeskgateModel

/// The default workflow every help-desk ticket lives in ("Support": new → open →
/// pending → resolved, with reopen). Its nodes are the ticket statuses and resolve / reopen
/// are its transitions. It is built in rather than stored: every tenant has it, it has one
/// version and no form, and its tickets carry no workflow version.
///
/// This table is the one place the status rules live: the help-desk commands
/// (`resolve_ticket`, `reopen_ticket`), the actions `get_ticket_metadata` offers, and the
/// workflow tools (`ticket_detail`, `ticket_handle` on a help-desk ticket) all read it.
public enum SupportWorkflow {
    public static let name = "Support"
    public static let description = "The default workflow of help-desk tickets: new → open → pending → resolved, with reopen."
    public static let version = 1
    /// Stored workflows are numbered from 1; 0 names this built-in one in results.
    public static let workflowID: Int64 = 0

    public struct Transition: Sendable, Equatable {
        /// The `action_id` in the workflow tools.
        public let key: String
        public let name: String
        public let type: FlowActionType
        public let action: TicketAction
        public let from: Set<TicketStatus>
        public let to: TicketStatus
        public let actState: ActState
    }

    public static let transitions: [Transition] = [
        Transition(key: "resolve", name: "Resolve", type: .agree, action: .resolve,
                   from: [.new, .open, .pending], to: .resolved, actState: .finished),
        Transition(key: "reopen", name: "Reopen", type: .other, action: .reopen,
                   from: [.resolved, .closed], to: .open, actState: .onGoing),
    ]

    /// The node a status is, as the workflow tools and `get_ticket_metadata` name it.
    /// Spelled out rather than `rawValue.capitalized`: Foundation's word-boundary capitalization
    /// was ~2.5k instructions of every `get_ticket_metadata` call (callgrind).
    /// SupportWorkflowTests holds the two spellings side by side.
    public static func nodeName(_ status: TicketStatus) -> String {
        switch status {
        case .new: return "New"
        case .open: return "Open"
        case .pending: return "Pending"
        case .resolved: return "Resolved"
        case .closed: return "Closed"
        }
    }

    /// Statuses where the ticket's work is over (the workflow's end nodes).
    public static func isEnded(_ status: TicketStatus) -> Bool { status == .resolved || status == .closed }

    public static func transitions(from status: TicketStatus) -> [Transition] {
        transitions.filter { $0.from.contains(status) }
    }

    public static func allows(_ action: TicketAction, from status: TicketStatus) -> Bool {
        transitions.contains { $0.action == action && $0.from.contains(status) }
    }

    /// Where `action` leads, if it is one of the workflow's transitions.
    static func target(of action: TicketAction) -> TicketStatus? {
        transitions.first { $0.action == action }?.to
    }

    /// The transition `action` takes from the ticket's status, or the conflict that explains
    /// why it cannot be taken now.
    static func transition(_ action: TicketAction, for ticket: Ticket) throws -> Transition {
        guard let transition = transitions.first(where: { $0.action == action }) else {
            throw DeskError.invalid(field: "action", reason: "'\(action.rawValue)' is not a transition of the \(name) workflow")
        }
        guard transition.from.contains(ticket.status) else {
            switch action {
            case .resolve: throw DeskError.conflict("ticket #\(ticket.number) is already \(ticket.status.rawValue)")
            default:
                let sources = TicketStatus.allCases.filter(transition.from.contains).map(\.rawValue).joined(separator: " or ")
                throw DeskError.conflict("ticket #\(ticket.number) is \(ticket.status.rawValue), not \(sources); "
                                         + "only \(sources) tickets can be \(action == .reopen ? "reopened" : action.rawValue + "d")")
            }
        }
        return transition
    }
}
