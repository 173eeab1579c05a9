import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateStore
import DeskgateModel

@Suite("Ticket commands")
struct TicketCommandTests {
    /// Runs `command` as a dry run, then for real: the dry run must change nothing and
    /// predict the real call exactly (same fields, same sentence with "Would …").
    func dryRunThenApply(_ f: HelpDeskFixture, would: String, _ command: (Bool) throws -> TicketChange) throws -> TicketChange {
        let before = try f.snapshot()
        let predicted = try command(true)
        #expect(try f.snapshot() == before, "a dry run changed the database")
        #expect(!predicted.applied)
        let applied = try command(false)
        #expect(applied.applied)
        #expect(predicted.before == applied.before)
        #expect(predicted.after == applied.after)
        #expect(predicted.ticketNumber == applied.ticketNumber)
        #expect(predicted.summary == would)
        // Same sentence after the verb: "Would resolve ticket #1 (…)" / "Resolved ticket #1 (…)".
        #expect(applied.summary.drop { $0 != " " } == would.dropFirst("Would ".count).drop { $0 != " " })
        return applied
    }

    @Test func resolveAndReopen() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam, tokenID: 41, clientID: "claude-desktop")
        let resolved = try dryRunThenApply(f, would: "Would resolve ticket #1 (status open → resolved) with an internal note") { try f.service.resolve(.number(1), note: "Replaced the fuser", actor: sam, dryRun: $0) }
        #expect(resolved.summary == "Resolved ticket #1 (status open → resolved) with an internal note")
        #expect(resolved.before == ["status": "open"])
        #expect(resolved.after == ["status": "resolved", "note": "Replaced the fuser"])
        let ticket = try #require(try f.read { try f.scope.tickets.byNumber(1, on: $0) })
        #expect(ticket.status == .resolved && ticket.actState == .finished && ticket.resolvedAt != nil)
        // Already resolved: success, nothing written (resolve_ticket says idempotentHint: true).
        let before = try f.snapshot()
        let again = try f.service.resolve(.number(1), note: "twice", actor: sam)
        #expect(!again.changed && again.applied && again.summary == "Ticket #1 is already resolved (the note was not added); nothing changed")
        #expect(try f.service.resolve(.number(1), actor: sam, dryRun: true).summary == "Ticket #1 is already resolved; nothing would change")
        #expect(try f.snapshot() == before)

        let reopened = try dryRunThenApply(f, would: "Would reopen ticket #1 (status resolved → open)") { try f.service.reopen(.number(1), actor: sam, dryRun: $0) }
        #expect(reopened.summary == "Reopened ticket #1 (status resolved → open)")
        let open = try #require(try f.read { try f.scope.tickets.byNumber(1, on: $0) })
        #expect(open.status == .open && open.actState == .onGoing && open.resolvedAt == nil)
        #expect(try !f.service.reopen(.number(1), actor: sam).changed, "already open")
        #expect(deskError { _ = try f.service.reopen(.number(2), actor: sam) }
                == .conflict("ticket #2 is pending, not resolved or closed; only resolved or closed tickets can be reopened"))

        // Activity: one row per applied change, none for dry runs or refusals, with the credential.
        let activity = try f.activity(of: f.t1)
        #expect(activity.map(\.action) == ["ticket.resolve", "ticket.reopen"])
        #expect(activity.allSatisfy { $0.via == .mcp && $0.tokenID == "41" && $0.clientID == "claude-desktop" && $0.actorUserID == f.sam.id })
        #expect(activity[0].beforeJSON == #"{"status":"open"}"#)
        #expect(activity[0].afterJSON == #"{"note":"Replaced the fuser","status":"resolved"}"#)
    }

    @Test func addAndRemoveTags() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam, via: .web)
        // The first spelling is kept for display; "urgent" is the same tag and folds away.
        let added = try dryRunThenApply(f, would: "Would add tag Urgent to ticket #1") { try f.service.addTags(.number(1), ["Urgent", "hardware", "urgent"], actor: sam, dryRun: $0) }
        #expect(added.summary == "Added tag Urgent to ticket #1")
        #expect(added.before == ["tags": "hardware"] && added.after == ["tags": "hardware, Urgent"])
        #expect(try f.read { try f.service.tags(.number(1), actor: sam, on: $0) } == ["hardware", "Urgent"])
        let present = try f.service.addTags(.number(1), ["HARDWARE", "urgent"], actor: sam)
        #expect(!present.changed && present.summary == "Ticket #1 already has tags HARDWARE, urgent; nothing changed")
        #expect(present.before == present.after && present.after == ["tags": "hardware, Urgent"])

        let removed = try dryRunThenApply(f, would: "Would remove tag Urgent from ticket #1") { try f.service.removeTags(.number(1), ["urgent", "missing"], actor: sam, dryRun: $0) }
        #expect(removed.summary == "Removed tag Urgent from ticket #1")
        #expect(removed.after == ["tags": "hardware"])
        let absent = try f.service.removeTags(.number(2), ["x"], actor: sam)
        #expect(!absent.changed && absent.summary == "Ticket #2 has none of tag x (it has no tags); nothing changed")
        #expect(try f.activity(of: f.t1).map(\.via) == [.web, .web])
    }

    /// A tag keeps the case it was first typed in, in every place it is shown, and any case finds it.
    @Test func tagsKeepTheirCaseAndMatchInAnyCase() throws {
        let f = try HelpDeskFixture()
        let admin = try f.actor(f.admin, via: .mcp)
        _ = try f.service.addTags(.number(1), ["Hello World", "VIP"], actor: admin)
        #expect(try f.read { try f.service.tags(.number(1), actor: admin, on: $0) } == ["hardware", "Hello World", "VIP"])
        // Another ticket, another case: the tenant's one tag "VIP" is attached, as it is spelled.
        let second = try f.service.addTags(.number(2), ["vip"], actor: admin)
        #expect(second.summary == "Added tag VIP to ticket #2")
        #expect(try f.read { try f.service.tags(.number(2), actor: admin, on: $0) } == ["VIP"])
        let found = try f.read { try f.service.search(TicketSearch(tag: " hello WORLD "), actor: admin, on: $0) }
        #expect(found.tickets.map(\.number) == [1])
        #expect(deskError { _ = try f.service.addTags(.number(1), ["vip!"], actor: admin) }
                == .invalid(field: "tags", reason: "'vip!' is not a valid tag: use \(TagNames.rule)"))
    }

    @Test func assignAndUnassign() throws {
        let f = try HelpDeskFixture()
        let admin = try f.actor(f.admin, via: .cli)
        let assigned = try dryRunThenApply(f, would: "Would assign ticket #3 to Bill Billing <bill@acme.test> (was unassigned)") { try f.service.assign(.number(3), to: .email("BILL@acme.test"), actor: admin, dryRun: $0) }
        #expect(assigned.summary == "Assigned ticket #3 to Bill Billing <bill@acme.test> (was unassigned)")
        #expect(try f.read { try f.scope.tickets.byNumber(3, on: $0) }?.assigneeID == f.bill.id)
        let same = try f.service.assign(.number(3), to: .id(f.bill.id), actor: admin)
        #expect(!same.changed && same.summary == "Ticket #3 is already assigned to Bill Billing <bill@acme.test>; nothing changed")
        #expect(deskError { _ = try f.service.assign(.number(3), to: .id(f.vera.id), actor: admin, dryRun: true) }
                == .invalid(field: "assignee", reason: "Vera Viewer <vera@acme.test> is a viewer and cannot be assigned tickets; choose an agent or admin"))
        #expect(deskError { _ = try f.service.assign(.number(3), to: .id(f.idle.id), actor: admin) }
                == .invalid(field: "assignee", reason: "Ida Idle <idle@acme.test> is deactivated and cannot be assigned tickets"))
        guard case .invalid("assignee", let reason)? = deskError({ _ = try f.service.assign(.number(3), to: .email("nobody@x.test"), actor: admin) }) else {
            Issue.record("unknown agent accepted")
            return
        }
        #expect(reason == "no agent 'nobody@x.test'; agents: Ada Admin <ada@acme.test> (id \(f.admin.id)), "
                + "Sam Support <sam@acme.test> (id \(f.sam.id)), Bill Billing <bill@acme.test> (id \(f.bill.id))")
        let unassigned = try dryRunThenApply(f, would: "Would unassign ticket #3 (was Bill Billing <bill@acme.test>)") { try f.service.assign(.number(3), to: nil, actor: admin, dryRun: $0) }
        #expect(unassigned.summary == "Unassigned ticket #3 (was Bill Billing <bill@acme.test>)")
    }

    @Test func transferClearsOrKeepsTheAssignee() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam)
        let moved = try dryRunThenApply(f, would: "Would transfer ticket #2 to department Support (from Billing; assignee Sam Support <sam@acme.test> cleared)") { try f.service.transfer(.number(2), toDepartment: .name("support"), actor: sam, dryRun: $0) }
        #expect(moved.summary == "Transferred ticket #2 to department Support (from Billing; assignee Sam Support <sam@acme.test> cleared)")
        #expect(moved.after == ["department": "Support", "assignee": "unassigned"])
        let kept = try dryRunThenApply(f, would: "Would transfer ticket #1 to department Billing (from Support)") {
            try f.service.transfer(.number(1), toDepartment: .id(f.billing.id), keepAssignee: true, actor: sam, dryRun: $0)
        }
        #expect(kept.summary == "Transferred ticket #1 to department Billing (from Support)")
        let there = try f.service.transfer(.number(2), toDepartment: .name("Support"), actor: sam)
        #expect(!there.changed && there.summary == "Ticket #2 is already in department Support; nothing changed")
        #expect(deskError { _ = try f.service.transfer(.number(2), toDepartment: .name("Legal"), actor: sam) }
                == .invalid(field: "department", reason: "no department 'Legal'; departments: Billing (id \(f.billing.id)), Support (id \(f.support.id))"))
    }

    @Test func notesAndNewTickets() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam)
        let note = try dryRunThenApply(f, would: "Would add an internal note to ticket #2") { try f.service.addNote(.number(2), body: "  Called the bank  ", actor: sam, dryRun: $0) }
        #expect(note.summary == "Added an internal note to ticket #2")
        let last = try f.read { try f.service.messages(.number(2), actor: sam, on: $0) }.messages.last
        #expect(last?.kind == .note && last?.body == "Called the bank" && last?.author.name == "Sam Support")
        #expect(deskError { _ = try f.service.addNote(.number(2), body: " \n ", actor: sam) }
                == .invalid(field: "body", reason: "must not be empty"))

        let draft = TicketDraft(subject: "Scanner jammed", body: "Paper stuck in tray 2", priority: .urgent,
                                department: .name("Billing"), requesterEmail: "New.Person@Customer.test", tags: ["hardware"],
                                assignee: .id(f.bill.id))
        let created = try dryRunThenApply(f, would: "Would create ticket #4 \"Scanner jammed\"") { try f.service.createTicket(draft, actor: sam, dryRun: $0) }
        #expect(created.summary == "Created ticket #4 \"Scanner jammed\"")
        #expect(created.after["requester"] == "new.person <new.person@customer.test>")
        #expect(created.after["status"] == "open" && created.after["assignee"] == "Bill Billing <bill@acme.test>")
        // Sam created it in another department: visible to him as its creator.
        let metadata = try f.read { try f.service.metadata(.number(4), actor: sam, on: $0) }
        #expect(metadata.creator?.id == f.sam.id && metadata.tags == ["hardware"] && metadata.messageCount == 1)
        #expect(try f.activity(ofID: created.ticketID).map(\.action) == ["ticket.create"])
        #expect(deskError { _ = try f.service.createTicket(TicketDraft(subject: " ", body: "x"), actor: sam) }
                == .invalid(field: "subject", reason: "must not be empty"))
        #expect(deskError { _ = try f.service.createTicket(TicketDraft(subject: "s", body: "x", requesterEmail: "nope"), actor: sam) }
                == .invalid(field: "requester_email", reason: "'nope' is not an email address"))
    }
}
