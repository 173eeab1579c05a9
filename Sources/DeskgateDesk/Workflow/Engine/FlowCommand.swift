import DeskgateSQL
import DeskgateJSON
import DeskgateStore
public import DeskgateModel
import DeskgateSystem

/// One action on one workflow ticket inside a write transaction: checks it in the order a
/// caller can fix them (action known, offered to this user, fields writable and typed, required
/// fields present, gateways resolvable), then writes positions, form values, relations, a
/// comment and one activity entry.
struct FlowCommand {
    var flow: FlowTicket
    let access: FlowAccess
    let tx: WriteTransaction

    private var scope: TenantScope { access.actor.tenant }
    private var me: Int64 { access.actor.user.id }
    private var db: any SQLConnection { tx.connection }

    func run(_ request: FlowRequest, dryRun: Bool) throws -> FlowOutcome {
        let type = try actionType(request.actionType)
        guard !request.actionID.trimmed.isEmpty else {
            throw DeskError.invalid(field: "action_id", reason: "is required; take it from the actions of ticket_prepare_handle")
        }
        let action = try offeredAction(type, request)
        let node = action.nodeKey.flatMap { flow.graph.node(key: $0) }
        let changes = try fieldChanges(request.fields, at: node, for: type)
        var next = flow
        for (field, value) in changes { next.values[field.key] = value }
        let now = WallClock.milliseconds()
        var actState = flow.ticket.actState
        var positions = flow.positions
        var opensChild: ChildTicket?

        switch type {
        case .agree, .reject, .other:
            guard let node, let transition = flow.graph.outgoing(node.id).first(where: { $0.key == action.id }) else {
                throw DeskError.conflict("transition '\(action.id)' is no longer part of this workflow")
            }
            if type != .reject {
                let missing = FlowActions.missingFields(next, at: node)
                guard missing.isEmpty else {
                    throw DeskError.invalid(field: "fields", reason: "'\(node.name)' requires " + missing.joined(separator: ", ")
                        + "; supply them in fields")
                }
            }
            var position = flow.position(at: node.id)!
            position.actedIDs.append(me)
            let waitsForOthers = node.distribution == .whole && type != .reject
                && !Set(position.assigneeIDs).isSubset(of: Set(position.actedIDs))
            if waitsForOthers {
                positions = positions.map { $0.nodeID == node.id ? position : $0 }
            } else {
                let router = FlowRouter(graph: flow.graph, values: next.values, creatorID: flow.ticket.creatorID, now: now,
                                        candidates: candidates(values: next.values))
                let route = try router.follow(transition, others: positions.filter { $0.nodeID != node.id })
                positions = route.positions
                opensChild = transition.openChild
                actState = route.ended ?? (positions.contains { $0.nodeID == flow.graph.start.id } ? .inDraft : .onGoing)
            }
        case .accept:
            positions = try update(node) { $0.assigneeIDs = [me]; $0.awaitingPickup = false }
        case .consult:
            let target = try colleague(request.target)
            positions = try update(node) { $0.consultantID = target.id; $0.consultedByID = me }
            try scope.ticketFlow.relate(userID: target.id, ticketID: flow.ticket.id, as: .consultant, in: tx)
        case .consultSubmit:
            positions = try update(node) { $0.consultantID = nil; $0.consultedByID = nil }
        case .forward:
            let target = try colleague(request.target)
            positions = try update(node) { $0.assigneeIDs = [target.id]; $0.awaitingPickup = false; $0.actedIDs = [] }
        case .forceForward:
            let target = try colleague(request.target)
            let key = request.nodeKey ?? flow.positions.first.flatMap { flow.graph.node($0.nodeID)?.key }
            guard let key, let held = flow.graph.node(key: key), flow.position(at: held.id) != nil else {
                throw DeskError.invalid(field: "action_props.node_id", reason: "name a node the ticket waits at: "
                    + flow.positions.compactMap { flow.graph.node($0.nodeID)?.key }.joined(separator: ", "))
            }
            positions = try update(held) { $0.assigneeIDs = [target.id]; $0.awaitingPickup = false; $0.actedIDs = []; $0.consultantID = nil }
        case .addComment:
            guard request.comment?.trimmed.isEmpty == false else {
                throw DeskError.invalid(field: "action_props.comment", reason: "add_comment needs a comment")
            }
        case .withdraw:
            positions = []
            actState = .withdrawn
        case .forceClose:
            positions = []
            actState = .closed
        }
        var outcome = try save(type: type, action: action, changes: changes, values: next.values, positions: positions,
                               actState: actState, comment: request.comment, now: now, dryRun: dryRun)
        if let child = opensChild { try openChild(child, from: action, into: &outcome, dryRun: dryRun) }
        return outcome
    }

    /// A transition's `open_child`: the sub-ticket, created by the one who took the transition, in
    /// the same transaction (a failure undoes the transition too).
    private func openChild(_ child: ChildTicket, from action: OfferedAction, into outcome: inout FlowOutcome, dryRun: Bool) throws {
        let subject = String((child.subject ?? "\(action.name): \(flow.ticket.subject)").prefix(250))
        let opened = try WorkflowTicketService.create(workflow: child.workflow, subject: subject, fields: JSONObject(), submit: nil,
                                                      parent: flow.ticket, actor: access.actor, in: tx, dryRun: dryRun)
        guard let ticket = try scope.tickets.byID(opened.ticketID, on: db) else { return }
        outcome.openedChild = TicketLink(ticket)
        outcome.summary += "; \(dryRun ? "would open" : "opened") sub-ticket #\(ticket.number) \"\(ticket.subject)\" in '\(child.workflow)'"
    }

    /// Form values written without an action (a ticket created in draft).
    func saveFields(_ fields: JSONObject, dryRun: Bool) throws -> FlowOutcome {
        let changes = try fieldChanges(fields, at: flow.graph.start, for: .other)
        var values = flow.values
        for (field, value) in changes { values[field.key] = value }
        let action = OfferedAction(id: "create", name: "Create", type: .other, nodeKey: flow.graph.start.key,
                                   requiredProps: [], optionalProps: [], missingFields: [])
        return try save(type: .other, action: action, changes: changes, values: values, positions: flow.positions,
                        actState: flow.ticket.actState, comment: nil, now: WallClock.milliseconds(), dryRun: dryRun, logged: false)
    }

    // MARK: checks

    private func actionType(_ raw: String) throws -> FlowActionType {
        guard let type = FlowActionType(rawValue: raw.trimmed) else {
            throw DeskError.invalid(field: "action_type", reason: "'\(raw)' is not an action type; use one of "
                + FlowActionType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return type
    }

    /// The one offered action the request names, or a refusal listing what is on offer.
    private func offeredAction(_ type: FlowActionType, _ request: FlowRequest) throws -> OfferedAction {
        let offered = FlowActions.offered(flow, access) + FlowActions.adminOffered(flow, access)
        var matching = offered.filter { $0.type == type && $0.id == request.actionID.trimmed }
        if let key = request.nodeKey, matching.count > 1 || matching.first?.nodeKey != nil {
            matching = matching.filter { $0.nodeKey == key || $0.nodeKey == nil }
        }
        guard !matching.isEmpty else {
            if !access.mayAct {
                throw DeskError.forbidden("your role '\(access.actor.user.role.rawValue)' can read workflow tickets but not act on them")
            }
            let list = offered.map { "\($0.type.rawValue):\($0.id)" + ($0.nodeKey.map { "@\($0)" } ?? "") }.joined(separator: ", ")
            throw DeskError.forbidden("\(type.rawValue) '\(request.actionID)' is not available to you on ticket #\(flow.ticket.number) now"
                + (list.isEmpty ? "" : "; available: \(list)"))
        }
        guard matching.count == 1 else {
            throw DeskError.invalid(field: "action_props.node_id", reason: "the ticket waits at several nodes; say which: "
                + matching.compactMap(\.nodeKey).joined(separator: ", "))
        }
        return matching[0]
    }

    /// Typed values for the supplied fields, refusing unknown, read-only and hidden ones.
    private func fieldChanges(_ fields: JSONObject, at node: FlowGraph.Node?, for type: FlowActionType) throws -> [(FlowGraph.Field, FieldValue)] {
        guard !fields.isEmpty else { return [] }
        guard let node, type.isTransition else {
            throw DeskError.invalid(field: "fields", reason: "\(type.rawValue) writes no form fields; leave fields empty")
        }
        return try fields.map { key, json in
            guard let field = flow.graph.field(key: key) else {
                throw DeskError.invalid(field: "fields.\(key)", reason: "no such field; the form has "
                    + flow.graph.fields.map(\.key).joined(separator: ", "))
            }
            let fieldAccess = node.access(to: field)
            guard fieldAccess == .required || fieldAccess == .optional else {
                throw DeskError.invalid(field: "fields.\(key)", reason: "is \(fieldAccess.rawValue) at '\(node.name)' and cannot be changed")
            }
            return (field, try FlowForm.value(json, for: field, scope: scope, on: db))
        }
    }

    /// Someone to consult or forward to: an active agent or admin other than the caller.
    private func colleague(_ selector: AgentSelector?) throws -> User {
        guard let selector else {
            throw DeskError.invalid(field: "action_props.target_assignee_id", reason: "is required: a user id or email (see user_list)")
        }
        let user = switch selector {
        case .id(let id): try scope.users.byID(id, on: db)
        case .email(let email): try scope.users.byEmail(email, on: db)
        }
        guard let user, user.isActive, user.role != .viewer else {
            throw DeskError.invalid(field: "action_props.target_assignee_id", reason: "'\(selector)' is not an active agent of this tenant")
        }
        guard user.id != me else {
            throw DeskError.invalid(field: "action_props.target_assignee_id", reason: "name someone other than yourself")
        }
        return user
    }

    private func update(_ node: FlowGraph.Node?, _ change: (inout FlowPosition) -> Void) throws -> [FlowPosition] {
        guard let node, flow.position(at: node.id) != nil else {
            throw DeskError.conflict("ticket #\(flow.ticket.number) no longer waits at that node")
        }
        return flow.positions.map { position in
            guard position.nodeID == node.id else { return position }
            var changed = position
            change(&changed)
            return changed
        }
    }

    /// Active people a participant names, with the ticket's creator and form values.
    private func candidates(values: [String: FieldValue]) -> (ResolvedParticipant) throws -> [Int64] {
        let repo = scope.ticketFlow, db = self.db, creator = flow.ticket.creatorID
        return { participant in
            switch participant {
            case .person(let id): return try repo.actors(among: [id], on: db)
            case .people(let ids): return try repo.actors(among: ids, on: db)
            case .department(let id): return try repo.actors(inDepartment: id, on: db)
            case .role(let role): return try repo.actors(withRole: role.rawValue, on: db)
            case .creator: return try repo.actors(among: creator.map { [$0] } ?? [], on: db)
            case .field(let key):
                guard case .reference(let id)? = values[key] else { return [] }
                return try repo.actors(among: [id], on: db)
            }
        }
    }

    // MARK: writing

    private func save(type: FlowActionType, action: OfferedAction, changes: [(FlowGraph.Field, FieldValue)],
                      values: [String: FieldValue], positions: [FlowPosition], actState: ActState, comment: String?,
                      now: Int64, dryRun: Bool, logged: Bool = true) throws -> FlowOutcome {
        let ticketID = flow.ticket.id, repo = scope.ticketFlow
        for (field, value) in changes {
            try repo.setFieldValue(FlowForm.stored(value), fieldID: field.id, ticketID: ticketID, in: tx)
        }
        try repo.setPositions(positions, ticketID: ticketID, in: tx)
        try repo.clearAssignees(ticketID: ticketID, in: tx)
        // A pending consultation waits for the consultant: it is on their to-do list (duty) too.
        for assignee in Set(positions.flatMap(\.assigneeIDs) + positions.compactMap(\.consultantID)) {
            try repo.relate(userID: assignee, ticketID: ticketID, as: .assignee, in: tx)
        }
        if logged, type != .addComment {
            try repo.relate(userID: me, ticketID: ticketID, as: .processor, in: tx)
        }
        let single = positions.count == 1 && positions[0].assigneeIDs.count == 1 && !positions[0].awaitingPickup
        try repo.updateTicket(flow.ticket, nodeID: positions.first?.nodeID ?? flow.ticket.nodeID, actState: actState,
                              status: actState.ticketStatus, assigneeID: single ? positions[0].assigneeIDs[0] : nil,
                              at: now, in: tx)
        if let comment = comment?.trimmed, !comment.isEmpty {
            let body = type == .addComment ? comment : "\(action.name): \(comment)"
            _ = try scope.messages.append(NewMessage(ticketID: ticketID, kind: .note, author: .agent(userID: me), body: body, createdAt: now), in: tx)
        }
        let after = FlowTicket(ticket: flow.ticket, graph: flow.graph, positions: positions, values: values)
        if logged {
            let actor = access.actor
            _ = try scope.activity.append(NewActivity(
                ticketID: ticketID, actorUserID: me, via: actor.via, tokenID: actor.tokenID.map(String.init),
                clientID: actor.clientID, action: "workflow.\(type.rawValue)",
                beforeJSON: TicketService.json(snapshot(flow, actState: flow.ticket.actState, changed: changes.map(\.0.key))),
                afterJSON: TicketService.json(snapshot(after, actState: actState, changed: changes.map(\.0.key)).merging(
                    ["action": action.id], uniquingKeysWith: { a, _ in a })),
                createdAt: now), in: tx)
        }
        let views = try FlowViewBuilder.positions(after, scope: scope, on: db)
        let landing = FlowOutcome.landing(dryRun: dryRun, actState: actState, positions: views)
        return FlowOutcome(dryRun: dryRun, ticketID: ticketID, number: flow.ticket.number, actionType: type, actionID: action.id,
                           actState: actState, positions: views, changedFields: changes.map(\.0.key),
                           summary: "\(action.name) on ticket #\(flow.ticket.number): \(landing)")
    }

    /// What the activity log keeps of a ticket's place in its workflow, and the changed values.
    private func snapshot(_ flow: FlowTicket, actState: ActState, changed: [String]) -> [String: String] {
        var out = ["act_state": actState.rawValue,
                   "nodes": flow.positions.compactMap { flow.graph.node($0.nodeID)?.key }.joined(separator: ","),
                   "assignees": flow.positions.flatMap(\.assigneeIDs).map(String.init).joined(separator: ",")]
        for key in changed { out["field." + key] = flow.values[key].map { FlowForm.stored($0) } ?? "" }
        return out
    }

}

extension ActState {
    /// The help-desk status a workflow state shows as, so both tool families agree.
    public var ticketStatus: TicketStatus {
        switch self {
        case .inDraft: .new
        case .onGoing: .open
        case .finished: .resolved
        case .rejected, .withdrawn, .closed: .closed
        }
    }
}
