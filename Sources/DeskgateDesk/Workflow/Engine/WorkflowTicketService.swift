public import DeskgateSQL
public import DeskgateJSON
public import DeskgateStore
import DeskgateIdentity
import DeskgateModel
import DeskgateSystem

/// One `ticket_handle` call: the action, the form values to write, and its props.
public struct FlowRequest: Sendable {
    public var actionType: String
    public var actionID: String
    public var fields: JSONObject
    /// `action_props.node_id`: which node, when the ticket waits at several.
    public var nodeKey: String?
    /// `action_props.target_assignee_id`, for consult, forward and force_forward.
    public var target: AgentSelector?
    public var comment: String?

    public init(actionType: String, actionID: String, fields: JSONObject = JSONObject(), nodeKey: String? = nil,
                target: AgentSelector? = nil, comment: String? = nil) {
        self.actionType = actionType
        self.actionID = actionID
        self.fields = fields
        self.nodeKey = nodeKey
        self.target = target
        self.comment = comment
    }
}

/// Workflow tickets: what a user sees and may do on one, and doing it. Every change runs in
/// one write transaction; a dry run runs the very same code and rolls it back, so it cannot
/// say "validated" for a call that would fail.
public struct WorkflowTicketService: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public func detail(_ ref: TicketRef, actor: DeskActor) throws -> FlowTicketDetail {
        try database.withReader { db in try detail(ref, actor: actor, on: db) }
    }

    /// Same as `detail` on a read connection the caller already holds (one snapshot per request).
    /// A help-desk ticket shows as a ticket of the built-in Support workflow.
    public func detail(_ ref: TicketRef, actor: DeskActor, on db: any SQLConnection) throws -> FlowTicketDetail {
        // One read of the ticket decides the engine and feeds it.
        let ticket = try Self.ticket(ref, actor: actor, on: db)
        var detail: FlowTicketDetail
        if let support = try Self.supportTicket(ticket, ref: ref, actor: actor, on: db) {
            detail = try SupportFlow.detail(support, actor: actor, on: db)
        } else {
            let (flow, access) = try Self.locate(ticket, ref: ref, actor: actor, on: db)
            detail = try FlowViewBuilder.detail(flow, access, on: db)
        }
        (detail.parent, detail.children) = try SubTickets.links(of: ticket, actor: actor, on: db)
        detail.flowLog = try TicketHistory(scope: actor.tenant).latest(ticketID: ticket.id, limit: FlowTicketDetail.flowLogLimit, on: db)
        return detail
    }

    public func handle(_ ref: TicketRef, _ request: FlowRequest, actor: DeskActor, dryRun: Bool = false) throws -> FlowOutcome {
        // A ticket never changes workflow, so which engine handles it can be read up front;
        // the help-desk commands then run in their own transaction.
        let support = try database.withReader { db -> (Ticket, DeskActor)? in
            let actor = try actor.reloaded(on: db)
            let ticket = try Self.ticket(ref, actor: actor, on: db)
            return try Self.supportTicket(ticket, ref: ref, actor: actor, on: db).map { ($0, actor) }
        }
        if let (ticket, actor) = support {
            return try SupportFlow(database: database).handle(ticket, request, actor: actor, dryRun: dryRun)
        }
        return try transaction(dryRun: dryRun, actor: actor) { tx in
            let actor = try actor.reloaded(on: tx.connection)
            let (flow, access) = try Self.locate(try Self.ticket(ref, actor: actor, on: tx.connection), ref: ref,
                                                 actor: actor, on: tx.connection)
            try actor.activeLimit?.requireWrites()
            return try FlowCommand(flow: flow, access: access, tx: tx).run(request, dryRun: dryRun)
        }
    }

    /// A help-desk command on a ticket of a stored workflow, run as the workflow's own action of
    /// the same meaning (`WorkflowEquivalent`) in one transaction, or refused with what the
    /// caller can do instead. The change reads like the help-desk command's, with the workflow
    /// action it became.
    func helpDesk(_ command: HelpDeskCommand, _ ref: TicketRef, actor: DeskActor, dryRun: Bool) throws -> TicketChange {
        let note = try command.note.map { try TicketText.body($0, field: "note") }
        let (outcome, before) = try transaction(dryRun: dryRun, actor: actor) { tx -> (FlowOutcome, FlowOutcomeBefore) in
            let db = tx.connection
            let actor = try actor.reloaded(on: db)
            let (flow, access) = try Self.locate(try Self.ticket(ref, actor: actor, on: db), ref: ref, actor: actor, on: db)
            try actor.activeLimit?.requireWrites()
            guard access.mayAct else {
                throw DeskError.forbidden("your role '\(actor.user.role.rawValue)' can read workflow tickets but not act on them")
            }
            let positions = try FlowViewBuilder.positions(flow, scope: actor.tenant, on: db)
            let offered = FlowActions.offered(flow, access) + FlowActions.adminOffered(flow, access)
            var request = try WorkflowEquivalent.request(for: command, flow: flow, offered: offered, positions: positions)
            if note != nil { request.comment = note }
            let outcome = try FlowCommand(flow: flow, access: access, tx: tx).run(request, dryRun: dryRun)
            return (outcome, FlowOutcomeBefore(workflow: flow.graph.workflow.name, actState: flow.ticket.actState, positions: positions))
        }
        let action = "\(outcome.actionType.rawValue):\(outcome.actionID)"
        let what = "ticket #\(outcome.number) in its workflow '\(before.workflow)' with \(action)"
        return TicketChange(
            ticketID: outcome.ticketID, ticketNumber: outcome.number, action: command.action.rawValue,
            before: ["workflow": before.workflow, "act_state": before.actState.rawValue, "nodes": before.nodes],
            after: ["workflow": before.workflow, "act_state": outcome.actState.rawValue,
                    "nodes": outcome.positions.map(\.nodeName).joined(separator: ", "), "workflow_action": action],
            applied: !dryRun,
            summary: (dryRun ? "Would \(command.action.rawValue) " : "\(command.pastTense) ") + what + ": " + outcome.landing)
    }

    /// Where a workflow ticket was before a help-desk command moved it.
    private struct FlowOutcomeBefore: Sendable {
        let workflow: String
        let actState: ActState
        let positions: [FlowPositionView]
        var nodes: String { positions.map(\.nodeName).joined(separator: ", ") }
    }

    /// A new ticket in a workflow (by name or id), at its start node with the creator's form
    /// values; with `submit` (a transition key out of the start node) it is sent on at once.
    /// With `parent` it is that ticket's child (`SubTickets`).
    public func create(workflow reference: String, subject: String, fields: JSONObject = JSONObject(), submit: String? = nil,
                       parent: TicketRef? = nil, actor: DeskActor, dryRun: Bool = false) throws -> FlowOutcome {
        let subject = try Validation.name(subject, field: "subject", maxLength: 250)
        return try transaction(dryRun: dryRun, actor: actor) { tx in
            let actor = try actor.reloaded(on: tx.connection)
            try actor.permissions.requireActive()
            let parent = try parent.map { try SubTickets.parent($0, field: "parent_ticket", actor: actor, on: tx.connection) }
            return try Self.create(workflow: reference, subject: subject, fields: fields, submit: submit, parent: parent,
                                   actor: actor, in: tx, dryRun: dryRun)
        }
    }

    /// `create` inside a transaction the caller holds, for an actor already reloaded in it
    /// (a transition's `open_child` opens its child in the transition's own transaction).
    static func create(workflow reference: String, subject: String, fields: JSONObject, submit: String?, parent: Ticket?,
                       actor: DeskActor, in tx: WriteTransaction, dryRun: Bool) throws -> FlowOutcome {
        let db = tx.connection
        try actor.permissions.requireActive()
        try actor.permissions.requireCreate()
        if let limit = actor.activeLimit {
            try limit.requireWrites()
            // A new workflow ticket has no department or tags, so a narrowed limit never admits it.
            if limit.narrowsTickets { throw MCPDataLimit.outside("a new workflow ticket (it has no department or tags yet)") }
        }
        let scope = actor.tenant
        let workflow = try Int64(reference).flatMap { try scope.workflows.byID($0, on: db) } ?? scope.workflows.byName(reference, on: db)
        guard let workflow, let version = try scope.workflows.currentVersion(of: workflow.id, on: db),
              let rows = try scope.ticketFlow.graph(versionID: version.id, on: db) else {
            throw DeskError.notFound("workflow '\(reference)'")
        }
        let graph = try FlowGraph(rows: rows)
        let now = WallClock.milliseconds()
        let ticket = try scope.tickets.create(NewTicket(subject: subject, status: .new, creatorID: actor.user.id,
                                                        parentTicketID: parent?.id, workflowVersionID: version.id,
                                                        nodeID: graph.start.id, actState: .inDraft, createdAt: now), in: tx)
        try scope.ticketFlow.relate(userID: actor.user.id, ticketID: ticket.id, as: .creator, in: tx)
        let start = FlowPosition(nodeID: graph.start.id, assigneeIDs: [actor.user.id], enteredAt: now)
        try scope.ticketFlow.setPositions([start], ticketID: ticket.id, in: tx)
        try scope.ticketFlow.relate(userID: actor.user.id, ticketID: ticket.id, as: .assignee, in: tx)
        _ = try scope.activity.append(NewActivity(
            ticketID: ticket.id, actorUserID: actor.user.id, via: actor.via, tokenID: actor.tokenID.map(String.init),
            clientID: actor.clientID, action: "workflow.create",
            beforeJSON: nil, afterJSON: TicketService.json(["workflow": workflow.name, "version": String(version.version),
                                                            "subject": subject, "parent": parent.map { "#\($0.number)" } ?? "none"])),
            in: tx)
        if let parent { try SubTickets.recordChild(ticket, of: parent, actor: actor, in: tx) }
        let flow = FlowTicket(ticket: ticket, graph: graph, positions: [start], values: [:])
        let access = try FlowAccess.load(flow, actor: actor, on: db)
        let command = FlowCommand(flow: flow, access: access, tx: tx)
        if let submit {
            guard let transition = graph.outgoing(graph.start.id).first(where: { $0.key == submit }) else {
                throw DeskError.invalid(field: "submit", reason: "'\(submit)' is not a transition out of '\(graph.start.name)'; use one of "
                    + graph.outgoing(graph.start.id).map(\.key).joined(separator: ", "))
            }
            return try command.run(FlowRequest(actionType: transition.type.rawValue, actionID: submit, fields: fields), dryRun: dryRun)
        }
        return try command.saveFields(fields, dryRun: dryRun)
    }

    /// The ticket `ref` names, for an active actor; "not found" when missing. Which engine
    /// serves it, and whether the actor may see it, is decided by the two functions below.
    static func ticket(_ ref: TicketRef, actor: DeskActor, on db: any SQLConnection) throws -> Ticket {
        try actor.permissions.requireActive()
        guard let ticket = try ref.ticket(in: actor.tenant, on: db) else { throw DeskError.notFound(ref.description) }
        return ticket
    }

    /// `ticket` when it is a help-desk ticket (Support workflow) the actor may see; nil for a
    /// workflow ticket; "not found" for one they may not see.
    static func supportTicket(_ ticket: Ticket, ref: TicketRef, actor: DeskActor, on db: any SQLConnection) throws -> Ticket? {
        guard ticket.workflowVersionID == nil else { return nil }
        guard actor.permissions.canSee(ticket) else { throw DeskError.notFound(ref.description) }
        try actor.requireWithinLimit(ticket, ref: ref.description, on: db)
        return ticket
    }

    /// The workflow ticket as `actor` may see it, with its flow and the actor's access; anything
    /// they may not see is "not found", exactly like a missing ticket. Callers have already sent
    /// help-desk tickets to `SupportFlow` (`supportTicket`).
    static func locate(_ ticket: Ticket, ref: TicketRef, actor: DeskActor, on db: any SQLConnection) throws -> (FlowTicket, FlowAccess) {
        guard ticket.workflowVersionID != nil else { throw DeskError.notFound(ref.description) }
        let flow = try FlowTicket.load(ticket, scope: actor.tenant, on: db)
        let access = try FlowAccess.load(flow, actor: actor, on: db)
        guard access.canView(flow) else { throw DeskError.notFound(ref.description) }
        try actor.requireWithinLimit(ticket, ref: ref.description, on: db)
        return (flow, access)
    }

    private struct DryRunRollback: Error { let outcome: any Sendable }

    /// A write job that rolls back a dry run, and uses the actor's approval (if any) in the
    /// same transaction as the write it approves.
    private func transaction<Outcome: Sendable>(dryRun: Bool, actor: DeskActor,
                                                _ body: @escaping @Sendable (WriteTransaction) throws -> Outcome) throws -> Outcome {
        do {
            return try database.write { tx in
                if !dryRun, let approvalID = actor.approvalID { _ = try ApprovalUse.consume(approvalID, actor: actor, in: tx) }
                let outcome = try body(tx)
                if dryRun { throw DryRunRollback(outcome: outcome) }
                return outcome
            }
        } catch let rollback as DryRunRollback {
            // Only this function throws it, with the body's own outcome.
            return rollback.outcome as! Outcome
        }
    }
}
