import DeskgateModel
/// A help-desk command (`resolve_ticket`, `reopen_ticket`, `assign_ticket`, `transfer_ticket`)
/// as it reaches a ticket of a stored workflow.
public enum HelpDeskCommand: Sendable, Equatable {
    case resolve(note: String?)
    case reopen(note: String?)
    case assign(AgentSelector?)
    case transfer(DepartmentSelector)

    var action: TicketAction {
        switch self {
        case .resolve: .resolve
        case .reopen: .reopen
        case .assign: .assign
        case .transfer: .transfer
        }
    }

    var toolName: String { action.rawValue + "_ticket" }

    var pastTense: String {
        switch self {
        case .resolve: "Resolved"
        case .reopen: "Reopened"
        case .assign: "Assigned"
        case .transfer: "Transferred"
        }
    }

    var note: String? {
        switch self {
        case .resolve(let note), .reopen(let note): note
        case .assign, .transfer: nil
        }
    }
}

/// The workflow's own action with the meaning of a help-desk command. A help-desk command must
/// never move a workflow ticket past its steps (a resolve that skips two approvals), so it either
/// becomes an action the ticket's current node offers this user, run by the engine with all its
/// checks, or a refusal that names the workflow, where the ticket waits and what the caller can
/// do instead with `ticket_handle`.
enum WorkflowEquivalent {
    /// - resolve: a transition of type agree, open to this user, that lands on an end node;
    /// - reopen: never (an ended workflow ticket has no way back; an open one is not resolved);
    /// - assign: forward at the user's node, else an admin's force_forward; unassigning never;
    /// - transfer: never (a workflow's nodes choose their people, not the department).
    static func request(for command: HelpDeskCommand, flow: FlowTicket, offered: [OfferedAction],
                        positions: [FlowPositionView]) throws -> FlowRequest {
        switch command {
        case .resolve(let note):
            let ending = offered.first { action in
                guard action.type == .agree, let key = action.nodeKey, let node = flow.graph.node(key: key) else { return false }
                return flow.graph.outgoing(node.id).contains { $0.key == action.id && flow.graph.node($0.to)?.type == .end }
            }
            if let ending, !ending.missingFields.isEmpty {
                // resolve_ticket has no form: the step's required fields are ticket_handle's to fill in.
                throw refusal(command, flow: flow, offered: offered, positions: positions,
                              why: "its finishing step \(ending.type.rawValue):\(ending.id) (\(ending.name)) first needs "
                                  + ending.missingFields.joined(separator: ", ") + ", which ticket_handle takes in fields")
            }
            if let ending {
                return FlowRequest(actionType: ending.type.rawValue, actionID: ending.id, nodeKey: ending.nodeKey, comment: note)
            }
            throw refusal(command, flow: flow, offered: offered, positions: positions,
                          why: flow.isOpen ? "it resolves a workflow ticket only through a transition that ends the workflow, "
                              + "and no such transition is open to you where the ticket waits"
                              : "the ticket's workflow has already ended")
        case .reopen:
            throw refusal(command, flow: flow, offered: offered, positions: positions,
                          why: flow.isOpen ? "the ticket has not ended" : "a workflow that has ended has no way back; "
                              + "open a new ticket in the workflow instead")
        case .assign(nil):
            throw refusal(command, flow: flow, offered: offered, positions: positions,
                          why: "a workflow ticket is always with the people of the node it waits at and cannot be unassigned")
        case .assign(let target?):
            if let forward = offered.first(where: { $0.type == .forward }) ?? offered.first(where: { $0.type == .forceForward }) {
                return FlowRequest(actionType: forward.type.rawValue, actionID: forward.id, nodeKey: forward.nodeKey, target: target)
            }
            throw refusal(command, flow: flow, offered: offered, positions: positions,
                          why: "it hands a workflow ticket on with forward (or force_forward, for the workflow's admins), "
                              + "and neither is open to you now")
        case .transfer:
            throw refusal(command, flow: flow, offered: offered, positions: positions,
                          why: "departments do not route a workflow ticket: each node of the workflow names who works on it")
        }
    }

    /// "ticket #209 follows the workflow 'Refund approval' and waits at 'Support lead review'
    /// (Dana Scully); resolve_ticket does not apply: … Use ticket_handle with one of: …".
    static func refusal(_ command: HelpDeskCommand, flow: FlowTicket, offered: [OfferedAction],
                        positions: [FlowPositionView], why: String) -> DeskError {
        let ticket = flow.ticket
        let place = positions.isEmpty
            ? "has ended (\(ticket.actState.rawValue))"
            : "waits at " + positions.map { position in
                "'\(position.nodeName)'" + (position.assignees.isEmpty ? "" : " (" + position.assignees.map(\.name).joined(separator: ", ") + ")")
            }.joined(separator: " and ")
        let choices = offered.filter { $0.type != .addComment }
        let instead = choices.isEmpty
            ? "You have no ticket_handle action on it now besides add_comment."
            : "Use ticket_handle with one of the actions open to you: "
                + choices.map { "\($0.type.rawValue):\($0.id) (\($0.name))" + ($0.nodeKey.map { " at \($0)" } ?? "") }
                    .joined(separator: ", ") + "."
        return .conflict("ticket #\(ticket.number) follows the workflow '\(flow.graph.workflow.name)' and \(place); "
                         + "\(command.toolName) does not apply: \(why). \(instead)")
    }
}
