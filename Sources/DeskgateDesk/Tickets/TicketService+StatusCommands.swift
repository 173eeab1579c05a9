import DeskgateStore

/// `resolve_ticket` / `reopen_ticket`: the Support workflow's transitions (`SupportWorkflow`
/// says where each may start and where it lands), with an optional internal note.
extension TicketService {
    public func resolve(_ ref: TicketRef, note: String? = nil, actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        let note = try note.map { try TicketText.body($0, field: "note") }
        return try change(ref, action: .resolve, actor: actor, dryRun: dryRun) { tx, actor, ticket in
            try Self.take(SupportWorkflow.transition(.resolve, for: ticket), ticket, note: note, verbs: ("Resolved", "resolve"),
                          actor: actor, in: tx)
        }
    }

    public func reopen(_ ref: TicketRef, note: String? = nil, actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        let note = try note.map { try TicketText.body($0, field: "note") }
        return try change(ref, action: .reopen, actor: actor, dryRun: dryRun) { tx, actor, ticket in
            try Self.take(SupportWorkflow.transition(.reopen, for: ticket), ticket, note: note, verbs: ("Reopened", "reopen"),
                          actor: actor, in: tx)
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
