import DeskgateModel

/// `add_ticket_note` / `create_ticket`.
extension TicketService {
    /// An internal note: agents only, never shown to the customer.
    public func addNote(_ ref: TicketRef, body: String, actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        let body = try TicketText.body(body, field: "body")
        return try change(ref, action: .addNote, actor: actor, dryRun: dryRun) { tx, actor, ticket in
            _ = try actor.tenant.messages.append(NewMessage(ticketID: ticket.id, kind: .note,
                                                            author: .agent(userID: actor.user.id), body: body), in: tx)
            let what = "an internal note to ticket #\(ticket.number)"
            return ChangeOutcome(ticket: ticket, before: [:], after: ["note": body], done: "Added " + what, planned: "add " + what)
        }
    }

    /// A new ticket created by the actor; its first message is the body, as a reply from the
    /// actor. The requester contact is found by email or created. Status is open when assigned, else new.
    public func createTicket(_ draft: TicketDraft, actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        let subject = try TicketText.subject(draft.subject)
        let body = try TicketText.body(draft.body, field: "body")
        let tags = draft.tags.isEmpty ? [] : try TagNames.validate(list: draft.tags)
        let requesterEmail = try draft.requesterEmail.map { email in
            do { return try Validation.email(email) } catch {
                throw DeskError.invalid(field: "requester_email", reason: "'\(email)' is not an email address")
            }
        }
        let requesterName = try draft.requesterName.map { try Validation.name($0, field: "requester_name") }
        return try perform(action: .create, actor: actor, dryRun: dryRun) { tx, actor in
            try actor.permissions.requireCreate()
            let scope = actor.tenant
            let db = tx.connection
            let department = try draft.department.map { try Self.department($0, scope: scope, on: db) }
            let assignee = try draft.assignee.map { try Self.assignableAgent($0, scope: scope, on: db) }
            let parent = try draft.parent.map { try SubTickets.parent($0, field: "parent_ticket", actor: actor, on: db) }
            var requester: Contact?
            if let requesterEmail {
                requester = try scope.contacts.byEmail(requesterEmail, on: db)
                    ?? scope.contacts.create(email: requesterEmail,
                                             name: requesterName ?? String(requesterEmail.prefix { $0 != "@" }), in: tx)
            }
            let ticket = try scope.tickets.create(NewTicket(
                subject: subject, status: assignee == nil ? .new : .open, priority: draft.priority,
                departmentID: department?.id, assigneeID: assignee?.id, creatorID: actor.user.id,
                requesterContactID: requester?.id, parentTicketID: parent?.id), in: tx)
            if let parent { try SubTickets.recordChild(ticket, of: parent, actor: actor, in: tx) }
            _ = try scope.messages.append(NewMessage(ticketID: ticket.id, kind: .reply, author: .agent(userID: actor.user.id),
                                                     body: body), in: tx)
            var attached: [String] = []
            for name in tags {
                let tag = try scope.tags.ensure(name: name, in: tx)  // an existing tag keeps its spelling
                try scope.tags.attach(tagID: tag.id, toTicket: ticket.id, in: tx)
                attached.append(tag.name)
            }
            var after = [
                "subject": subject, "status": ticket.status.rawValue, "priority": ticket.priority.rawValue,
                "department": department?.name ?? "none", "assignee": Self.label(assignee),
                "requester": requester.map { "\($0.name) <\($0.email ?? "")>" } ?? "none", "tags": Self.tagText(attached),
            ]
            if let parent { after["parent"] = "#\(parent.number)" }
            let what = "ticket #\(ticket.number) \"\(subject)\"" + (parent.map { " under ticket #\($0.number)" } ?? "")
            return ChangeOutcome(ticket: ticket, before: [:], after: after, done: "Created " + what, planned: "create " + what)
        }
    }
}
