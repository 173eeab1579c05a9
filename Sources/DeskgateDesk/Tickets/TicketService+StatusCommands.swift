import DeskgateStore

/// `resolve_ticket` / `reopen_ticket`: a status change with an optional internal note. The
/// default workflow makes these ordinary transitions; custom workflows come later.
extension TicketService {
    public func resolve(_ ref: TicketRef, note: String? = nil, actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        let note = try note.map { try TicketText.body($0, field: "note") }
        return try change(ref, action: .resolve, actor: actor, dryRun: dryRun) { tx, actor, ticket in
            guard ticket.status != .resolved, ticket.status != .closed else {
                throw DeskError.conflict("ticket #\(ticket.number) is already \(ticket.status.rawValue)")
            }
            return try Self.moveStatus(ticket, to: .resolved, actState: .finished, note: note, verbs: ("Resolved", "resolve"),
                                       actor: actor, in: tx)
        }
    }

    public func reopen(_ ref: TicketRef, note: String? = nil, actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        let note = try note.map { try TicketText.body($0, field: "note") }
        return try change(ref, action: .reopen, actor: actor, dryRun: dryRun) { tx, actor, ticket in
            guard ticket.status == .resolved || ticket.status == .closed else {
                throw DeskError.conflict("ticket #\(ticket.number) is \(ticket.status.rawValue), not resolved or closed; "
                                         + "only resolved or closed tickets can be reopened")
            }
            return try Self.moveStatus(ticket, to: .open, actState: .onGoing, note: note, verbs: ("Reopened", "reopen"),
                                       actor: actor, in: tx)
        }
    }

    private static func moveStatus(_ ticket: Ticket, to status: TicketStatus, actState: ActState, note: String?,
                                   verbs: (done: String, planned: String), actor: DeskActor, in tx: WriteTransaction) throws -> ChangeOutcome {
        let scope = actor.tenant
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
