import DeskgateModel

/// The kinds of action on a workflow ticket besides a node's own transitions (whose type is
/// the transition's: agree, reject, other).
public enum FlowActionType: String, Sendable, CaseIterable {
    case agree, reject, other
    /// Take a ticket offered to several people (voluntary distribution).
    case accept
    /// Ask another person for an opinion; the node waits until they answer.
    case consult
    /// The consulted person answers; the ticket goes back to the assignees.
    case consultSubmit = "consult_submit"
    /// Hand the ticket to another person at the same node.
    case forward
    /// A comment in the ticket's history; moves nothing.
    case addComment = "add_comment"
    /// The creator takes the request back.
    case withdraw
    /// Admin: hand the ticket to someone else at a node, whoever holds it.
    case forceForward = "force_forward"
    /// Admin: close the ticket wherever it is.
    case forceClose = "force_close"

    var isTransition: Bool { self == .agree || self == .reject || self == .other }
}

/// An action a user may take now, with the `action_props` it reads and, for transitions,
/// the required fields of the node that still have no value.
public struct OfferedAction: Sendable, Equatable {
    public let id: String
    public let name: String
    public let type: FlowActionType
    /// The node the action starts from (nil for ticket-wide actions).
    public let nodeKey: String?
    public let requiredProps: [String]
    public let optionalProps: [String]
    public let missingFields: [String]
}

enum FlowActions {
    /// Everything `access.actor` may do on `flow` now, in a stable order: per position the
    /// node's transitions, then accept / consult / forward; then comment and withdraw.
    static func offered(_ flow: FlowTicket, _ access: FlowAccess) -> [OfferedAction] {
        guard access.mayAct, access.canView(flow) else { return [] }
        let me = access.actor.user.id
        var actions: [OfferedAction] = []
        if flow.isOpen {
            for position in flow.positions {
                guard let node = flow.graph.node(position.nodeID) else { continue }
                if position.consultantID == me {
                    actions.append(special(.consultSubmit, "Answer the consultation", node, required: [], optional: ["comment"]))
                    continue
                }
                guard position.assigneeIDs.contains(me), !position.actedIDs.contains(me), position.consultantID == nil else { continue }
                if position.awaitingPickup {
                    actions.append(special(.accept, "Accept", node, required: [], optional: []))
                    continue
                }
                for transition in flow.graph.outgoing(node.id) {
                    guard let type = FlowActionType(rawValue: transition.type.rawValue), type.isTransition else { continue }
                    actions.append(OfferedAction(id: transition.key, name: transition.name, type: type, nodeKey: node.key,
                                                 requiredProps: [], optionalProps: ["comment"],
                                                 missingFields: type == .reject ? [] : missingFields(flow, at: node)))
                }
                actions.append(special(.consult, "Consult someone", node, required: ["target_assignee_id"], optional: ["comment"]))
                actions.append(special(.forward, "Forward", node, required: ["target_assignee_id"], optional: ["comment"]))
            }
        }
        actions.append(special(.addComment, "Add a comment", nil, required: ["comment"], optional: []))
        let withdrawable = flow.positions.contains { flow.graph.node($0.nodeID)?.allowWithdraw == true }
        if flow.isOpen, flow.ticket.creatorID == me, withdrawable {
            actions.append(special(.withdraw, "Withdraw", nil, required: [], optional: ["comment"]))
        }
        return actions
    }

    /// Force-forward and force-close, for tenant admins and the workflow's admins.
    static func adminOffered(_ flow: FlowTicket, _ access: FlowAccess) -> [OfferedAction] {
        guard access.isWorkflowAdmin, flow.isOpen else { return [] }
        return [special(.forceForward, "Force forward", nil, required: ["target_assignee_id"], optional: ["node_id", "comment"]),
                special(.forceClose, "Force close", nil, required: [], optional: ["comment"])]
    }

    private static func special(_ type: FlowActionType, _ name: String, _ node: FlowGraph.Node?,
                                required: [String], optional: [String]) -> OfferedAction {
        OfferedAction(id: type.rawValue, name: name, type: type, nodeKey: node?.key,
                      requiredProps: required, optionalProps: (node == nil ? [] : ["node_id"]) + optional, missingFields: [])
    }

    static func missingFields(_ flow: FlowTicket, at node: FlowGraph.Node) -> [String] {
        flow.graph.fields.filter { node.access(to: $0) == .required && flow.values[$0.key] == nil }.map(\.key)
    }
}
