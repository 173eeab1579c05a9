import DeskgateModel
import DeskgateStore

/// `add_ticket_tags` / `remove_ticket_tags`.
extension TicketService {
    /// Adds the tags the ticket lacks; all already present is success with nothing changed.
    public func addTags(_ ref: TicketRef, _ names: [String], actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        let names = try TagNames.validate(list: names)
        return try change(ref, action: .addTags, actor: actor, dryRun: dryRun) { tx, actor, ticket in
            let scope = actor.tenant
            let current = try scope.tags.tags(forTicket: ticket.id, on: tx.connection).map(\.name)
            let missing = names.filter { name in !current.contains { TagNames.same($0, name) } }
            guard !missing.isEmpty else {
                return .unchanged(ticket, state: ["tags": Self.tagText(current)],
                                  "Ticket #\(ticket.number) already has \(Self.tagList(names))")
            }
            // A tag the tenant already has keeps its first spelling: "vip" attaches "VIP".
            var added: [String] = []
            for name in missing {
                let tag = try scope.tags.ensure(name: name, in: tx)
                try scope.tags.attach(tagID: tag.id, toTicket: ticket.id, in: tx)
                added.append(tag.name)
            }
            try scope.tickets.touch(ticketID: ticket.id, in: tx)
            let what = "\(Self.tagList(added)) to ticket #\(ticket.number)"
            return ChangeOutcome(ticket: ticket, before: ["tags": Self.tagText(current)],
                                 after: ["tags": Self.tagText(current + added)],
                                 done: "Added " + what, planned: "add " + what)
        }
    }

    /// Removes the named tags the ticket has; none of them present is success with nothing changed.
    public func removeTags(_ ref: TicketRef, _ names: [String], actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        let names = try TagNames.validate(list: names)
        return try change(ref, action: .removeTags, actor: actor, dryRun: dryRun) { tx, actor, ticket in
            let scope = actor.tenant
            let current = try scope.tags.tags(forTicket: ticket.id, on: tx.connection)
            let removed = current.filter { tag in names.contains { TagNames.same($0, tag.name) } }
            guard !removed.isEmpty else {
                let has = current.isEmpty ? "it has no tags" : "its tags: " + current.map(\.name).joined(separator: ", ")
                return .unchanged(ticket, state: ["tags": Self.tagText(current.map(\.name))],
                                  "Ticket #\(ticket.number) has none of \(Self.tagList(names)) (\(has))")
            }
            for tag in removed { try scope.tags.detach(tagID: tag.id, fromTicket: ticket.id, in: tx) }
            try scope.tickets.touch(ticketID: ticket.id, in: tx)
            let what = "\(Self.tagList(removed.map(\.name))) from ticket #\(ticket.number)"
            return ChangeOutcome(ticket: ticket, before: ["tags": Self.tagText(current.map(\.name))],
                                 after: ["tags": Self.tagText(current.filter { !removed.contains($0) }.map(\.name))],
                                 done: "Removed " + what, planned: "remove " + what)
        }
    }

    /// "billing, VIP": sorted as the store sorts them, without regard to case.
    static func tagText(_ names: [String]) -> String {
        names.sorted(by: TagOrder.precedes).joined(separator: ", ")
    }

    /// "tag billing" / "tags billing, vip".
    static func tagList(_ names: [String]) -> String {
        (names.count == 1 ? "tag " : "tags ") + names.joined(separator: ", ")
    }
}
