import DeskgateModel

/// `add_ticket_tags` / `remove_ticket_tags`.
extension TicketService {
    /// Adds the tags the ticket lacks; all already present is a conflict (nothing to do).
    public func addTags(_ ref: TicketRef, _ names: [String], actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        let names = try TagNames.validate(list: names)
        return try change(ref, action: .addTags, actor: actor, dryRun: dryRun) { tx, actor, ticket in
            let scope = actor.tenant
            let current = try scope.tags.tags(forTicket: ticket.id, on: tx.connection).map(\.name)
            let added = names.filter { !current.contains($0) }
            guard !added.isEmpty else {
                throw DeskError.conflict("ticket #\(ticket.number) already has \(Self.tagList(names))")
            }
            for name in added {
                try scope.tags.attach(tagID: scope.tags.ensure(name: name, in: tx).id, toTicket: ticket.id, in: tx)
            }
            try scope.tickets.touch(ticketID: ticket.id, in: tx)
            let what = "\(Self.tagList(added)) to ticket #\(ticket.number)"
            return ChangeOutcome(ticket: ticket, before: ["tags": current.sorted().joined(separator: ", ")],
                                 after: ["tags": (current + added).sorted().joined(separator: ", ")],
                                 done: "Added " + what, planned: "add " + what)
        }
    }

    /// Removes the named tags the ticket has; none of them present is a conflict.
    public func removeTags(_ ref: TicketRef, _ names: [String], actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        let names = try TagNames.validate(list: names)
        return try change(ref, action: .removeTags, actor: actor, dryRun: dryRun) { tx, actor, ticket in
            let scope = actor.tenant
            let current = try scope.tags.tags(forTicket: ticket.id, on: tx.connection)
            let removed = current.filter { names.contains($0.name) }
            guard !removed.isEmpty else {
                let has = current.isEmpty ? "it has no tags" : "its tags: " + current.map(\.name).joined(separator: ", ")
                throw DeskError.conflict("ticket #\(ticket.number) has none of \(Self.tagList(names)) (\(has))")
            }
            for tag in removed { try scope.tags.detach(tagID: tag.id, fromTicket: ticket.id, in: tx) }
            try scope.tickets.touch(ticketID: ticket.id, in: tx)
            let what = "\(Self.tagList(removed.map(\.name))) from ticket #\(ticket.number)"
            return ChangeOutcome(ticket: ticket, before: ["tags": current.map(\.name).sorted().joined(separator: ", ")],
                                 after: ["tags": current.filter { !removed.contains($0) }.map(\.name).sorted().joined(separator: ", ")],
                                 done: "Removed " + what, planned: "remove " + what)
        }
    }

    /// "tag billing" / "tags billing, vip".
    static func tagList(_ names: [String]) -> String {
        (names.count == 1 ? "tag " : "tags ") + names.joined(separator: ", ")
    }
}
