import DeskgateSQL
import DeskgateJSON
import DeskgateStore
import DeskgateModel

/// The workflow tools on a help-desk ticket: the ticket is in the built-in Support workflow
/// (`SupportWorkflow`), its node is its status, and each action offered is one of the
/// help-desk commands, run through `TicketService` (same permissions, same activity rows,
/// same dry runs). Nothing here decides a rule of its own.
struct SupportFlow {
    let database: Database

    /// `resolve`/`reopen` are the workflow's transitions; `forward` assigns the ticket to
    /// someone; `add_comment` adds an internal note. Only for those who may change the ticket.
    static func offered(_ ticket: Ticket, actor: DeskActor) -> [OfferedAction] {
        guard actor.permissions.canChange(ticket) else { return [] }
        let node = ticket.status.rawValue
        var actions = SupportWorkflow.transitions(from: ticket.status).map { transition in
            OfferedAction(id: transition.key, name: transition.name, type: transition.type, nodeKey: node,
                          requiredProps: [], optionalProps: ["comment"], missingFields: [])
        }
        if !SupportWorkflow.isEnded(ticket.status) {
            actions.append(OfferedAction(id: FlowActionType.forward.rawValue, name: "Forward", type: .forward, nodeKey: node,
                                         requiredProps: ["target_assignee_id"], optionalProps: [], missingFields: []))
        }
        actions.append(OfferedAction(id: FlowActionType.addComment.rawValue, name: "Add a comment", type: .addComment,
                                     nodeKey: nil, requiredProps: ["comment"], optionalProps: [], missingFields: []))
        return actions
    }

    static func positions(_ ticket: Ticket, scope: TenantScope, on db: any SQLConnection) throws -> [FlowPositionView] {
        guard !SupportWorkflow.isEnded(ticket.status) else { return [] }
        let assignees = try FlowViewBuilder.people(ticket.assigneeID.map { [$0] } ?? [], scope: scope, on: db)
        return [FlowPositionView(nodeKey: ticket.status.rawValue, nodeName: SupportWorkflow.nodeName(ticket.status),
                                 assignees: assignees, awaitingPickup: assignees.isEmpty, consultant: nil)]
    }

    static func detail(_ ticket: Ticket, actor: DeskActor, on db: any SQLConnection) throws -> FlowTicketDetail {
        let scope = actor.tenant
        return FlowTicketDetail(
            ticketID: ticket.id, number: ticket.number, subject: ticket.subject, actState: ticket.actState,
            creator: try ticket.creatorID.flatMap { try FlowViewBuilder.people([$0], scope: scope, on: db).first },
            workflowID: SupportWorkflow.workflowID, workflowName: SupportWorkflow.name,
            workflowDescription: SupportWorkflow.description, version: SupportWorkflow.version,
            positions: try positions(ticket, scope: scope, on: db), baseNodeKey: ticket.status.rawValue, fields: [],
            actions: offered(ticket, actor: actor), adminActions: [],
            createdAt: ticket.createdAt, updatedAt: ticket.updatedAt)
    }

    /// Runs the offered action `request` names as the help-desk command it stands for.
    func handle(_ ticket: Ticket, _ request: FlowRequest, actor: DeskActor, dryRun: Bool) throws -> FlowOutcome {
        guard let type = FlowActionType(rawValue: request.actionType.trimmed) else {
            throw DeskError.invalid(field: "action_type", reason: "'\(request.actionType)' is not an action type; use one of "
                + FlowActionType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard request.fields.isEmpty else {
            throw DeskError.invalid(field: "fields", reason: "the \(SupportWorkflow.name) workflow has no form fields; leave fields empty")
        }
        let offered = Self.offered(ticket, actor: actor)
        guard let action = offered.first(where: { $0.type == type && $0.id == request.actionID.trimmed }) else {
            if actor.permissions.canSee(ticket), !actor.permissions.canChange(ticket) {
                try actor.permissions.requireChange(ticket, action: .resolve)
            }
            let list = offered.map { "\($0.type.rawValue):\($0.id)" }.joined(separator: ", ")
            throw DeskError.forbidden("\(type.rawValue) '\(request.actionID)' is not available to you on ticket #\(ticket.number) now"
                + (list.isEmpty ? "" : "; available: \(list)"))
        }
        let tickets = TicketService(database: database)
        let ref = TicketRef.id(ticket.id)
        let change: TicketChange
        var after = ticket
        switch action.type {
        case .agree, .other:
            guard let transition = SupportWorkflow.transitions.first(where: { $0.key == action.id }) else {
                throw DeskError.conflict("'\(action.id)' is no longer a transition of the \(SupportWorkflow.name) workflow")
            }
            change = try tickets.take(transition.action, ref, note: request.comment, actor: actor, dryRun: dryRun)
            after.status = transition.to
            after.actState = transition.actState
        case .forward:
            guard let target = request.target else {
                throw DeskError.invalid(field: "action_props.target_assignee_id", reason: "is required for forward: the agent to hand the ticket to")
            }
            change = try tickets.assign(ref, to: target, actor: actor, dryRun: dryRun)
            after.assigneeID = try database.withReader { db in
                try TicketService.assignableAgent(target, scope: actor.tenant, on: db).id
            }
        default:
            guard let comment = request.comment else {
                throw DeskError.invalid(field: "action_props.comment", reason: "is required for add_comment")
            }
            change = try tickets.addNote(ref, body: comment, actor: actor, dryRun: dryRun)
        }
        let positions = try database.withReader { db in try Self.positions(after, scope: actor.tenant, on: db) }
        return FlowOutcome(dryRun: dryRun, ticketID: ticket.id, number: ticket.number, actionType: action.type,
                           actionID: action.id, actState: after.actState, positions: positions, changedFields: [],
                           summary: change.summary)
    }
}
