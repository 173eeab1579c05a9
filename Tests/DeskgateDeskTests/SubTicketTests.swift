import DeskgateDemo
import DeskgateCrypto
import DeskgateJSON
import Foundation
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateStore
import DeskgateModel

/// Sub-tickets: opened by a transition's `open_child` or by naming a parent at creation; the
/// parent must be visible to the creator in their tenant; both tickets' history says who did it.
@Suite("Sub-tickets")
struct SubTicketTests {
    static let onboarding = """
        {"name": "Onboarding", "description": "A new colleague's first day.",
         "nodes": [
           {"key": "request", "name": "Request", "type": "start"},
           {"key": "setup", "name": "Set up", "type": "normal", "participant": {"type": "department", "value": "IT"}},
           {"key": "done", "name": "Done", "type": "end"}],
         "transitions": [
           {"key": "submit", "name": "Submit", "type": "agree", "from": "request", "to": "setup"},
           {"key": "order_access", "name": "Order access", "type": "agree", "from": "setup", "to": "done",
            "open_child": {"workflow": "IT access request", "subject": "Access for the new colleague"}},
           {"key": "skip", "name": "Nothing to order", "type": "other", "from": "setup", "to": "done"}]}
        """

    static func imported() throws -> WorkflowDesk {
        let desk = try WorkflowDesk()
        _ = try WorkflowService(database: desk.database, scope: desk.scope).importDocument(onboarding)
        return desk
    }

    func row(_ desk: WorkflowDesk, _ id: Int64) throws -> Ticket {
        try desk.database.withReader { try desk.scope.tickets.byID(id, on: $0)! }
    }

    @Test func aTransitionOpensAChildThatBothTicketsName() throws {
        let desk = try Self.imported()
        let parent = try desk.create("Onboarding", by: "dana", [:])
        let dry = try desk.handle(parent, by: "lee", "agree", "order_access", dryRun: true)
        #expect(dry.openedChild?.subject == "Access for the new colleague")
        #expect(dry.summary.contains("would open sub-ticket"))
        #expect(try desk.database.withReader { try desk.scope.tickets.children(of: parent.ticketID, on: $0) }.isEmpty)

        let done = try desk.handle(parent, by: "lee", "agree", "order_access")
        let link = try #require(done.openedChild)
        #expect(done.actState == .finished && link.actState == .inDraft)
        let child = try row(desk, link.id)
        let leeID = try desk.id("lee")
        #expect(child.parentTicketID == parent.ticketID && child.creatorID == leeID)
        // lee (IT) sees both sides; dana, who filed the parent, cannot see an IT request of lee's.
        #expect(try desk.service.detail(.id(link.id), actor: try desk.actor("lee")).parent?.number == parent.number)
        #expect(try desk.detail(parent, for: "lee").children.map(\.id) == [link.id])
        #expect(try desk.detail(parent, for: "dana").children.isEmpty)
        // History: the opening on the parent and the creation on the child, both under lee.
        let lee = try desk.id("lee")
        let onParent = try desk.activity(parent).filter { $0.action == "ticket.open_child" }
        #expect(onParent.count == 1 && onParent[0].actorUserID == lee && onParent[0].afterJSON?.contains("#\(link.number)") == true)
        let onChild = try desk.database.withReader { try desk.scope.activity.list(ticketID: link.id, on: $0).items }
        #expect(onChild.map(\.action) == ["workflow.create"] && onChild[0].actorUserID == lee)
        #expect(onChild[0].afterJSON?.contains("#\(parent.number)") == true)
        // ticket_list's parent filter finds it.
        var filter = WorkflowTicketFilter(category: .all, userID: 0, departmentIDs: [], isTenantAdmin: true)
        filter.parentTicketID = parent.ticketID
        let admin = try desk.actor("admin")
        let listed = try desk.database.withReader { try WorkflowTicketList().page(filter, page: 1, perPage: 10, actor: admin, on: $0) }
        #expect(listed.tickets.map(\.ticket.id) == [link.id])
    }

    @Test func anotherTransitionOpensNothing() throws {
        let desk = try Self.imported()
        let parent = try desk.create("Onboarding", by: "dana", [:])
        let skipped = try desk.handle(parent, by: "lee", "other", "skip")
        #expect(skipped.openedChild == nil)
        #expect(try desk.detail(parent, for: "lee").children.isEmpty)
    }

    @Test func theParentMustBeAVisibleTicketOfTheTenant() throws {
        let desk = try WorkflowDesk()
        let sams = try desk.create("IT access request", by: "sam", WorkflowEngineTests.vpn)
        let before = try desk.database.withReader { try desk.scope.tickets.count(on: $0) }
        // dana cannot see sam's IT request: the same answer as for a ticket that does not exist.
        let hidden = flowError { _ = try desk.service.create(workflow: "IT access request", subject: "child", parent: .number(sams.number),
                                                              actor: try desk.actor("dana")) }
        let missing = flowError { _ = try desk.service.create(workflow: "IT access request", subject: "child", parent: .number(99_999),
                                                               actor: try desk.actor("dana")) }
        #expect(hidden == .invalid(field: "parent_ticket", reason: "ticket #\(sams.number) not found: name a ticket you can see"))
        #expect(missing == .invalid(field: "parent_ticket", reason: "ticket #99999 not found: name a ticket you can see"))
        // Another tenant's ticket, by internal id, is not found either.
        var options = DemoDataGenerator.Options()
        options.tenantSlug = "globex"
        options.tickets = 2
        options.workflows = false
        options.passwordHasher = PasswordHasher(logN: 10, r: 8, p: 1)
        let other = try DemoDataGenerator(database: desk.database).run(options) { _, _ in }.tenant.scope
        let foreign = try desk.database.withReader { try other.tickets.listRecent(limit: 1, on: $0).items[0] }
        let crossTenant = flowError { _ = try TicketService(database: desk.database).createTicket(
            TicketDraft(subject: "child", body: "b", parent: .id(foreign.id)), actor: try desk.actor("admin")) }
        #expect(crossTenant == .invalid(field: "parent_ticket", reason: "ticket id:\(foreign.id) not found: name a ticket you can see"))
        #expect(try desk.database.withReader { try desk.scope.tickets.count(on: $0) } == before)
    }

    @Test func aHelpDeskTicketCanBeAChild() throws {
        let desk = try WorkflowDesk()
        let parent = try desk.create("IT access request", by: "lee", WorkflowEngineTests.vpn)
        let change = try TicketService(database: desk.database).createTicket(
            TicketDraft(subject: "Token for the VPN", body: "Please send a hardware token.", parent: .number(parent.number)),
            actor: try desk.actor("lee"))
        #expect(change.after["parent"] == "#\(parent.number)")
        let child = try row(desk, change.ticketID)
        #expect(child.parentTicketID == parent.ticketID)
        #expect(try desk.detail(parent, for: "lee").children.map(\.number) == [change.ticketNumber])
        #expect(try desk.service.detail(.number(change.ticketNumber), actor: try desk.actor("lee")).parent?.id == parent.ticketID)
        let lee = try desk.id("lee")
        #expect(try desk.activity(parent).contains { $0.action == "ticket.open_child" && $0.actorUserID == lee })
    }

    @Test func documentsCheckAndKeepOpenChild() throws {
        let desk = try WorkflowDesk()
        let service = WorkflowService(database: desk.database, scope: desk.scope)
        let unknown = Self.onboarding.replacingOccurrences(of: "\"workflow\": \"IT access request\"", with: "\"workflow\": \"Nope\"")
        #expect(flowError { _ = try service.importDocument(unknown) }
                == .invalid(field: "transitions[1].open_child.workflow", reason: "no workflow named 'Nope' in this tenant"))
        let typo = Self.onboarding.replacingOccurrences(of: "\"subject\": \"Access", with: "\"title\": \"Access")
        #expect(flowError { _ = try service.importDocument(typo) }?.description.hasPrefix("transitions[1].open_child.title") == true)
        let definition = try WorkflowDocument.decode(Self.onboarding)
        #expect(definition.transitions[1].openChild == ChildTicket(workflow: "IT access request", subject: "Access for the new colleague"))
        #expect(try WorkflowDocument.decode(WorkflowDocument.encode(definition)) == definition)
    }
}
