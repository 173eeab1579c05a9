import DeskgateDemo
import DeskgateCrypto
import Foundation
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateStore
import DeskgateModel

/// `ticket_list`'s filters by workflow, node, ticket number and creator, on the demo's workflow
/// tickets. Each expectation is read from the tickets' own rows (version → workflow, positions,
/// creator), not from the filtered listing.
@Suite("Workflow ticket list filters")
struct WorkflowListFilterTests {
    final class Demo: @unchecked Sendable {
        let database: Database
        let scope: TenantScope
        let admin: DeskActor
        let tickets: [Ticket]

        init() throws {
            database = try Database.open(path: NSTemporaryDirectory() + "deskgate-list-filters-\(UUID().uuidString)/db.sqlite")
            var options = DemoDataGenerator.Options()
            options.tickets = 2
            options.passwordHasher = PasswordHasher(logN: 10, r: 8, p: 1)
            let scope = try DemoDataGenerator(database: database).run(options) { _, _ in }.tenant.scope
            self.scope = scope
            (admin, tickets) = try database.withReader { db in
                (try DeskActor.load(tenant: scope, userID: try scope.users.byEmail("admin@acme.test", on: db)!.id, via: .cli, on: db),
                 try scope.tickets.listRecent(limit: 100, on: db).items.filter { $0.workflowVersionID != nil })
            }
        }

        deinit { database.close() }

        func listed(_ change: (inout WorkflowTicketFilter) -> Void) throws -> Set<Int64> {
            var filter = WorkflowTicketFilter(category: .all, userID: 0, departmentIDs: [], isTenantAdmin: true)
            change(&filter)
            let page = try database.withReader { try WorkflowTicketList().page(filter, page: 1, perPage: 100, actor: admin, on: $0) }
            #expect(page.window.total == page.tickets.count)
            #expect(!page.totalIsLowerBound)
            return Set(page.tickets.map(\.ticket.number))
        }

        func numbers(where keep: (Ticket) throws -> Bool) rethrows -> Set<Int64> { Set(try tickets.filter(keep).map(\.number)) }

        func workflowID(_ name: String) throws -> Int64 { try database.withReader { try scope.workflows.byName(name, on: $0)!.id } }

        func workflowID(of ticket: Ticket) throws -> Int64 {
            try database.withReader { db in
                try db.queryOne("SELECT workflow_id FROM workflow_versions WHERE id = ?1", ticket.workflowVersionID!) { $0.int64(0) }!
            }
        }

        func nodeIDs(of ticket: Ticket) throws -> Set<Int64> {
            Set(try database.withReader { try scope.ticketFlow.positions(ticketID: ticket.id, on: $0) }.map(\.nodeID))
        }

        func userID(_ name: String) throws -> Int64 { try database.withReader { try scope.users.byEmail("\(name)@acme.test", on: $0)!.id } }
    }

    @Test func workflowIDsKeepThoseWorkflowsTickets() throws {
        let demo = try Demo()
        let it = try demo.workflowID("IT access request"), refund = try demo.workflowID("Refund approval")
        let expectedIT = try demo.numbers { try demo.workflowID(of: $0) == it }
        #expect(!expectedIT.isEmpty && expectedIT.count < demo.tickets.count)
        #expect(try demo.listed { $0.workflowIDs = [it] } == expectedIT)
        #expect(try demo.listed { $0.workflowIDs = [it, refund] } == Set(demo.tickets.map(\.number)))
        #expect(try demo.listed { $0.workflowIDs = [999_999] }.isEmpty)
    }

    @Test func nodeIDsKeepTicketsWaitingThere() throws {
        let demo = try Demo()
        let waiting = try demo.tickets.map { try demo.nodeIDs(of: $0) }
        // The node most tickets wait at, and one other: a ticket at either is kept, ended ones never.
        var counts: [Int64: Int] = [:]
        for ids in waiting { for id in ids { counts[id, default: 0] += 1 } }
        let byCount = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        #expect(byCount.count >= 2)
        let first = byCount[0], second = byCount[1]
        #expect(try demo.listed { $0.nodeIDs = [first] } == (try demo.numbers { try demo.nodeIDs(of: $0).contains(first) }))
        #expect(try demo.listed { $0.nodeIDs = [first, second] }
                == (try demo.numbers { !(try demo.nodeIDs(of: $0)).isDisjoint(with: [first, second]) }))
        let ended = demo.numbers { [.finished, .closed].contains($0.actState) }
        #expect(try demo.listed { $0.nodeIDs = [first] }.isDisjoint(with: ended))
    }

    @Test func ticketIDsAreNumbersAndCreatorIDIsOnePerson() throws {
        let demo = try Demo()
        let some = Array(demo.tickets.map(\.number).sorted().prefix(3))
        #expect(try demo.listed { $0.ticketNumbers = some } == Set(some))
        #expect(try demo.listed { $0.ticketNumbers = [some[0], 999_999] } == [some[0]])
        // A help-desk ticket's number is not a workflow ticket: nothing.
        let helpDesk = try demo.database.withReader { try demo.scope.tickets.listRecent(limit: 100, on: $0) }.items
            .first { $0.workflowVersionID == nil }!.number
        #expect(try demo.listed { $0.ticketNumbers = [helpDesk] }.isEmpty)
        for name in ["dana", "sam", "priya", "lee"] {
            let id = try demo.userID(name)
            #expect(try demo.listed { $0.creatorID = id } == demo.numbers { $0.creatorID == id }, "\(name)")
        }
        let lee = try demo.userID("lee")
        #expect(try demo.listed { $0.creatorID = lee }.isEmpty)              // lee files nothing in the demo
        // Filters combine: priya's IT requests.
        let it = try demo.workflowID("IT access request"), priya = try demo.userID("priya")
        let priyasIT = try demo.numbers { ticket in
            guard ticket.creatorID == priya else { return false }
            return try demo.workflowID(of: ticket) == it
        }
        #expect(!priyasIT.isEmpty)
        #expect(try demo.listed { $0.creatorID = priya; $0.workflowIDs = [it] } == priyasIT)
    }

    /// A page reads its tickets' positions and creators in one statement each: every ticket
    /// shows the nodes and the creator its own rows name, and another tenant's ids find nothing.
    @Test func eachTicketShowsItsOwnNodesAndCreator() throws {
        let demo = try Demo()
        var filter = WorkflowTicketFilter(category: .all, userID: 0, departmentIDs: [], isTenantAdmin: true)
        filter.newestFirst = true
        let page = try demo.database.withReader { try WorkflowTicketList().page(filter, page: 1, perPage: 100, actor: demo.admin, on: $0) }
        #expect(page.tickets.count >= 10)
        var creators = Set<Int64>()
        let other = try demo.database.write { try TenantDirectory().create(slug: "other", name: "Other", in: $0).scope }
        try demo.database.withReader { db in
            for summary in page.tickets {
                let own = try demo.scope.ticketFlow.positions(ticketID: summary.ticket.id, on: db).map(\.nodeID)
                #expect(summary.nodes.map(\.id) == own, "#\(summary.ticket.number)")
                let creator = try summary.ticket.creatorID.flatMap { try demo.scope.users.byID($0, on: db) }
                #expect(summary.creator?.id == creator?.id && summary.creator?.name == creator?.name, "#\(summary.ticket.number)")
                if let id = creator?.id { creators.insert(id) }
            }
            // Not vacuous: several creators, and tickets waiting at more than one node.
            #expect(creators.count >= 2)
            #expect(Set(page.tickets.flatMap { $0.nodes.map(\.id) }).count >= 2)
            // The batch reads keep to their tenant.
            #expect(try other.users.byIDs(creators, on: db).isEmpty)
            #expect(try other.ticketFlow.positions(ticketIDs: page.tickets.map(\.ticket.id), on: db).isEmpty)
        }
    }
}
