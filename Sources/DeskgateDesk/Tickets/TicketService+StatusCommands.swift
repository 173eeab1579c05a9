import DeskgateStore
import DeskgateModel

/// `resolve_ticket` / `reopen_ticket`: the Support workflow's transitions (`SupportWorkflow`
/// says where each may start and where it lands), with an optional internal note.
extension TicketService {
    public func resolve(_ ref: TicketRef, note: String? = nil, actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        if try inStoredWorkflow(ref, actor: actor) {
            return try WorkflowTicketService(database: database).helpDesk(.resolve(note: note), ref, actor: actor, dryRun: dryRun)
        }
        return try take(.resolve, ref, note: note, actor: actor, dryRun: dryRun)
    }

    public func reopen(_ ref: TicketRef, note: String? = nil, actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        if try inStoredWorkflow(ref, actor: actor) {
            return try WorkflowTicketService(database: database).helpDesk(.reopen(note: note), ref, actor: actor, dryRun: dryRun)
        }
        return try take(.reopen, ref, note: note, actor: actor, dryRun: dryRun)
    }

    /// Whether `ref` names a ticket of a stored workflow, whose status only its workflow moves
    /// (`WorkflowEquivalent`). A ticket never changes workflow, so this read may precede the
    /// write; visibility is checked by whichever path then runs, with the same "not found".
    func inStoredWorkflow(_ ref: TicketRef, actor: DeskActor) throws -> Bool {
        try database.withReader { db in try ref.ticket(in: actor.tenant, on: db)?.workflowVersionID != nil }
    }

    /// The Support workflow's transition for `action` (resolve or reopen), for callers that hold
    /// a `SupportWorkflow.Transition` rather than a tool name.
    func take(_ action: TicketAction, _ ref: TicketRef, note: String?, actor: DeskActor, dryRun: Bool) throws -> TicketChange {
        let note = try note.map { try TicketText.body($0, field: "note") }
        let verbs = action == .reopen ? (done: "Reopened", planned: "reopen") : (done: "Resolved", planned: "resolve")
        return try change(ref, action: action, actor: actor, dryRun: dryRun) { tx, actor, ticket in
            // Already where the transition leads (resolved, or open): a retried call is harmless.
            if let target = SupportWorkflow.target(of: action), ticket.status == target {
                return .unchanged(ticket, state: ["status": ticket.status.rawValue],
                                  "Ticket #\(ticket.number) is already \(target.rawValue)" + (note == nil ? "" : " (the note was not added)"))
            }
            return try Self.take(SupportWorkflow.transition(action, for: ticket), ticket, note: note, verbs: verbs, actor: actor, in: tx)
        }
    }

    private static func take(_ transition: SupportWorkflow.Transition, _ ticket: Ticket, note: String?,
                             verbs: (done: String, planned: String), actor: DeskActor, in tx: WriteTransaction) throws -> ChangeOutcome {
        let scope = actor.tenant, status = transition.to, actState = transition.actState
        try scope.tickets.setStatus(status, actState: actState, ticketID: ticket.id, in: tx)
        var after = ["status": status.rawValue]
        if let note {
            _ = try scope.messages.append(NewMessage(ticketID: ticket.id, kind: .note, author: .agent(userID: actor.user.id),
                                                     body: note), in: tx)
            after["note"] = note
        }
        let what = "ticket #\(ticket.number) (status \(ticket.status.rawValue) → \(status.rawValue))"
            + (note == nil ? "" : " with an internal note")
        return ChangeOutcome(ticket: ticket, before: ["status": ticket.status.rawValue], after: after,
                             done: "\(verbs.done) \(what)", planned: "\(verbs.planned) \(what)")
    }
}
