import DeskgateJSON
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateStore
import DeskgateModel

/// The MCP data limit on both tool families' paths (`HelpDeskFixture`: #1 Support with tag
/// hardware, #2 and #3 Billing; `WorkflowDesk` for the workflow family).
@Suite("MCP data limit")
struct MCPDataLimitTests {
    typealias Outcome = TicketPermissionTests.Outcome

    static func outcome(_ body: () throws -> Void) -> Outcome { TicketPermissionTests.outcome(body) }

    @Test func settingsRoundTripTheLimit() {
        var settings = MCPSettings()
        settings.dataLimit = MCPDataLimit(departmentIDs: [3, 1], tagIDs: [7], allowsWrites: false)
        let json = settings.merged(into: #"{"other": 1}"#)
        #expect(MCPSettings(settingsJSON: json) == settings)
        #expect(json.contains(#""other":1"#))
        // Absent or malformed: no limit.
        #expect(MCPSettings(settingsJSON: #"{"mcp": {"data_limit": "x"}}"#).dataLimit.isUnlimited)
        #expect(MCPSettings(settingsJSON: #"{"mcp": {"data_limit": {"department_ids": ["a", -1]}}}"#).dataLimit.isUnlimited)
    }

    @Test func departmentLimitHidesTicketsFromReadsAndSearches() throws {
        let f = try HelpDeskFixture()
        let actor = try f.actor(f.admin).limited(by: MCPDataLimit(departmentIDs: [f.support.id]))
        #expect(Self.outcome { _ = try f.read { try f.service.metadata(.number(1), actor: actor, on: $0) } } == .allowed)
        for number: Int64 in [2, 3] {
            // Exactly the answer of a missing ticket.
            #expect(deskError { _ = try f.read { try f.service.metadata(.number(number), actor: actor, on: $0) } }
                    == .notFound("ticket #\(number)"))
            #expect(deskError { _ = try f.read { try f.service.context(.number(number), actor: actor, on: $0) } }
                    == .notFound("ticket #\(number)"))
            #expect(deskError { _ = try f.read { try f.service.tags(.id(f.t3.id), actor: actor, on: $0) } } == .notFound("ticket id:\(f.t3.id)"))
        }
        let found = try f.read { try f.service.search(TicketSearch(), actor: actor, on: $0) }.tickets.map(\.number)
        #expect(found == [1])
        // Departments outside count no open tickets for the limited caller.
        let counts = Dictionary(uniqueKeysWithValues: try f.read { try f.service.departments(actor: actor, on: $0) }
            .map { ($0.name, $0.openTicketCount) })
        #expect(counts == ["Support": 1, "Billing": 0])
        // The same admin outside MCP (web, CLI) is not limited.
        let web = try f.actor(f.admin, via: .web)
        #expect(try f.read { try f.service.search(TicketSearch(), actor: web, on: $0) }.tickets.count == 3)
    }

    @Test func tagLimitHidesUntaggedTickets() throws {
        let f = try HelpDeskFixture()
        let hardware = try f.read { try f.scope.tags.byName("hardware", on: $0)! }
        let actor = try f.actor(f.admin).limited(by: MCPDataLimit(tagIDs: [hardware.id]))
        #expect(try f.read { try f.service.search(TicketSearch(), actor: actor, on: $0) }.tickets.map(\.number) == [1])
        #expect(try f.read { try f.service.search(TicketSearch(text: "invoice"), actor: actor, on: $0) }.tickets.isEmpty)
        #expect(deskError { _ = try f.read { try f.service.metadata(.number(2), actor: actor, on: $0) } } == .notFound("ticket #2"))
        // Removing the last limited tag would take the ticket outside: refused, nothing written.
        let before = try f.snapshot()
        #expect(Self.outcome { _ = try f.service.removeTags(.number(1), ["hardware"], actor: actor) } == .forbidden)
        #expect(try f.snapshot() == before)
        // Adding tags inside is fine.
        #expect(try f.service.addTags(.number(1), ["urgent"], actor: actor).applied)
    }

    @Test func writesInsideAreRefusedWhenWritingIsOff() throws {
        let f = try HelpDeskFixture()
        let actor = try f.actor(f.admin).limited(by: MCPDataLimit(departmentIDs: [f.support.id], allowsWrites: false))
        let before = try f.snapshot()
        let error = deskError { _ = try f.service.resolve(.number(1), actor: actor) }
        guard case .forbidden(let reason)? = error else { Issue.record("expected forbidden, got \(String(describing: error))"); return }
        #expect(reason.contains("MCP data limit"))
        #expect(Self.outcome { _ = try f.service.addNote(.number(1), body: "hi", actor: actor) } == .forbidden)
        #expect(Self.outcome { _ = try f.service.createTicket(TicketDraft(subject: "New", body: "x", department: .id(f.support.id)),
                                                             actor: actor) } == .forbidden)
        #expect(try f.snapshot() == before)
        // Reading stays allowed.
        #expect(Self.outcome { _ = try f.read { try f.service.metadata(.number(1), actor: actor, on: $0) } } == .allowed)
    }

    @Test func writesOutsideAreRefused() throws {
        let f = try HelpDeskFixture()
        let actor = try f.actor(f.admin).limited(by: MCPDataLimit(departmentIDs: [f.support.id]))
        let before = try f.snapshot()
        // Outside: the same "not found" as reads.
        #expect(deskError { _ = try f.service.resolve(.number(3), actor: actor) } == .notFound("ticket #3"))
        // Moving a ticket out, or creating one elsewhere, would land outside.
        #expect(Self.outcome { _ = try f.service.transfer(.number(1), toDepartment: .id(f.billing.id), actor: actor) } == .forbidden)
        #expect(Self.outcome { _ = try f.service.createTicket(TicketDraft(subject: "Elsewhere", body: "x", department: .id(f.billing.id)),
                                                             actor: actor) } == .forbidden)
        #expect(try f.snapshot() == before)
        // Inside works, with its activity row.
        #expect(try f.service.resolve(.number(1), actor: actor).applied)
        #expect(try f.service.createTicket(TicketDraft(subject: "Inside", body: "x", department: .id(f.support.id)), actor: actor).applied)
    }

    @Test func workflowFamilyObeysTheLimit() throws {
        let desk = try WorkflowDesk()
        let created = try desk.create("IT access request", by: "sam", WorkflowEngineTests.vpn)
        let admin = try desk.actor("admin")
        let department = try desk.database.withReader { try desk.scope.departments.list(on: $0).first!.id }
        let limited = admin.limited(by: MCPDataLimit(departmentIDs: [department]))
        // Unlimited: the admin sees the ticket in "all" and in detail.
        let all = WorkflowTicketFilter(category: .all, userID: 0, departmentIDs: [], isTenantAdmin: true)
        let listed = try desk.database.withReader { try WorkflowTicketList().page(all, page: 1, perPage: 50, actor: admin, on: $0) }
        #expect(listed.tickets.contains { $0.ticket.id == created.ticketID })
        // A workflow ticket has no department: outside the limit, hidden everywhere.
        let hidden = try desk.database.withReader { try WorkflowTicketList().page(all, page: 1, perPage: 50, actor: limited, on: $0) }
        #expect(!hidden.tickets.contains { $0.ticket.id == created.ticketID })
        #expect(deskError { _ = try desk.service.detail(.number(created.number), actor: limited) } == .notFound("ticket #\(created.number)"))
        #expect(deskError { _ = try desk.service.handle(.number(created.number), FlowRequest(actionType: "accept", actionID: "approve"),
                                                       actor: limited) } == .notFound("ticket #\(created.number)"))
        #expect(Self.outcome { _ = try desk.service.create(workflow: "IT access request", subject: "x", actor: limited) } == .forbidden)
        // Writing off: refused with the limit's reason even for tickets in view.
        let readOnly = admin.limited(by: MCPDataLimit(allowsWrites: false))
        #expect(Self.outcome { _ = try desk.service.detail(.number(created.number), actor: readOnly) } == .allowed)
        let error = deskError { _ = try desk.service.handle(.number(created.number), FlowRequest(actionType: "accept", actionID: "approve"),
                                                           actor: readOnly) }
        guard case .forbidden(let reason)? = error else { Issue.record("expected forbidden, got \(String(describing: error))"); return }
        #expect(reason.contains("MCP data limit"))
    }
}
