import DeskgateSQL
import Testing
@testable import DeskgateStore
import DeskgateModel

@Suite struct TicketFilterTests {
    /// Ten tickets in tenant a over two departments, with tags and message words, plus tenant b.
    func seed(_ db: Database) throws -> (SeededTenant, SeededTenant, [Ticket]) {
        let a = try seedTenant("a", word: "alpha", in: db)
        let b = try seedTenant("b", word: "alpha", in: db)
        let tickets = try db.write { tx throws in
            let other = try a.scope.departments.create(name: "Other", in: tx)
            let vip = try a.scope.tags.ensure(name: "vip", in: tx)
            return try (1...10).map { index in
                let ticket = try a.scope.tickets.create(NewTicket(
                    subject: index.isMultiple(of: 2) ? "Even router \(index)" : "Odd modem \(index)",
                    status: index <= 5 ? .open : .closed, priority: index.isMultiple(of: 3) ? .urgent : .normal,
                    departmentID: index <= 3 ? other.id : a.department.id, assigneeID: index == 4 ? a.user.id : nil,
                    createdAt: Int64(index) * 1_000), in: tx)
                _ = try a.scope.messages.append(NewMessage(ticketID: ticket.id, kind: .reply, author: .system,
                                                           body: index == 7 ? "firmware glitch" : "thanks", createdAt: Int64(index) * 1_000 + 10), in: tx)
                if index.isMultiple(of: 4) { try a.scope.tags.attach(tagID: vip.id, toTicket: ticket.id, in: tx) }
                return try a.scope.tickets.byID(ticket.id, on: tx.connection)!
            }
        }
        return (a, b, tickets)
    }

    @Test func drivingSetsAndPerRowProbesGiveTheSameAnswers() throws {
        try withDatabase { db in
            let (a, _, tickets) = try seed(db)
            let vip = try db.withReader { try a.scope.tags.byName("vip", on: $0)!.id }
            var filters: [TicketFilter] = []
            func add(_ change: (inout TicketFilter) -> Void) {
                var filter = TicketFilter()
                filter.limit = 50
                change(&filter)
                filters.append(filter)
            }
            add { $0.text = "router" }
            add { $0.text = "firmware" }
            add { $0.text = "odd glitch" }
            add { $0.text = "thanks even" }
            add { $0.text = "alpha" }
            add { $0.tagID = vip }
            add { $0.tagID = vip; $0.text = "even" }
            add { $0.text = "modem"; $0.statuses = [.closed]; $0.priorities = [.urgent] }
            add { $0.text = "thanks"; $0.visibility = .departments([a.department.id]) }
            add { $0.text = "thanks"; $0.visibility = .departmentsOrParticipant([], userID: a.user.id) }
            add { $0.statuses = [.closed]; $0.priorities = [.urgent] }
            add { $0.createdBefore = 5_000 }
            add { $0.unassignedOnly = true; $0.statuses = [.open]; $0.visibility = .departments([a.department.id]) }
            try db.withReader { conn throws in
                for filter in filters {
                    let driven = try a.scope.tickets.find(filter, drivingSetLimit: 1_000, probeWindow: 1_000, on: conn).map(\.ticket.id)
                    let probed = try a.scope.tickets.find(filter, drivingSetLimit: 0, probeWindow: 1_000, on: conn).map(\.ticket.id)
                    let fellBack = try a.scope.tickets.find(filter, drivingSetLimit: 0, probeWindow: 1, on: conn).map(\.ticket.id)
                    #expect(driven == probed, "\(filter)")
                    #expect(driven == fellBack, "\(filter)")
                }
                var filter = TicketFilter()
                filter.text = "modem"
                filter.statuses = [.closed]
                filter.priorities = [.urgent]
                #expect(try a.scope.tickets.find(filter, on: conn).map(\.ticket.id) == [tickets[8].id])
                filter = TicketFilter()
                filter.text = "firmware"
                #expect(try a.scope.tickets.find(filter, on: conn).map(\.snippet) == ["[firmware] glitch"])
            }
        }
    }

    /// Whatever text reaches the store, a full-text search is a result: control characters
    /// separate words (U+0000 inside an FTS5 string once failed as "unterminated string").
    @Test func controlCharactersInTextSeparateWords() throws {
        #expect(TicketRepository.searchWords("\u{0}").isEmpty)
        #expect(TicketRepository.searchWords("firmware\u{0}").map(\.text) == ["firmware"])
        #expect(TicketRepository.searchWords("odd\u{0}glitch\u{7F}").map(\.text) == ["odd", "glitch"])
        try withDatabase { db in
            let (a, _, tickets) = try seed(db)
            func find(_ text: String?) throws -> [Int64] {
                var filter = TicketFilter()
                filter.text = text
                filter.limit = 50
                return try db.withReader { try a.scope.tickets.find(filter, on: $0) }.map(\.ticket.id)
            }
            let everything = try find(nil)
            #expect(everything.count == 11)
            for (text, expected) in [("\u{0}", everything), ("\u{1}\u{0}\u{1F}", everything),
                                     ("firmware\u{0}", [tickets[6].id]), ("glitch\u{0}odd", [tickets[6].id])] {
                #expect(try find(text) == expected, "\(text.debugDescription)")
            }
        }
    }

    @Test func visibilityAndKeysetCursor() throws {
        try withDatabase { db in
            let (a, b, tickets) = try seed(db)
            try db.withReader { conn throws in
                var filter = TicketFilter()
                filter.visibility = .departmentsOrParticipant([], userID: a.user.id)
                // An agent with no departments: the seeded ticket (assignee and creator, updated last) and #4 (assignee).
                #expect(try a.scope.tickets.find(filter, on: conn).map(\.ticket.id) == [a.ticket.id, tickets[3].id])
                filter.visibility = .departments([])
                #expect(try a.scope.tickets.find(filter, on: conn).isEmpty)

                var all: [Int64] = []
                filter = TicketFilter()
                filter.limit = 4
                while true {
                    let page = try a.scope.tickets.find(filter, on: conn)
                    all += page.map(\.ticket.id)
                    guard page.count == filter.limit, let last = page.last?.ticket else { break }
                    filter.after = TicketPosition(updatedAt: last.updatedAt, id: last.id)
                }
                // Newest updated first; the seeded ticket was created "now", so it leads.
                #expect(all == [a.ticket.id] + tickets.reversed().map(\.id))
                var other = TicketFilter()
                other.text = "alpha"
                #expect(try b.scope.tickets.find(other, on: conn).map(\.ticket.id) == [b.ticket.id])
            }
        }
    }

    @Test func searchesRunOnTheUpdatedOrderIndexes() throws {
        try withDatabase { db in
            let (a, _, _) = try seed(db)
            try db.withReader { conn throws in
                for (filter, index) in [(TicketFilter(), "tickets_by_updated"),
                                        ({ var f = TicketFilter(); f.statuses = [.open]; return f }(), "tickets_by_status_updated"),
                                        ({ var f = TicketFilter(); f.assigneeID = a.user.id; return f }(), "tickets_by_assignee_updated")] {
                    var query = TicketSearchSQL(tenantID: a.scope.tenantKey, dialect: conn.dialect)
                    query.apply(filter)
                    let plan = try conn.queryAll("EXPLAIN QUERY PLAN " + query.sql, bindings: query.bindings) { $0.string(3) }
                    #expect(plan.contains { $0.contains(index) }, "\(plan)")
                    #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "sorts instead of walking the index: \(plan)")
                }
            }
        }
    }

    @Test func statusChangesSetActStateAndResolvedAt() throws {
        try withDatabase { db in
            let a = try seedTenant("a", word: "alpha", in: db)
            try db.write { tx throws in
                #expect(try a.scope.tickets.setStatus(.resolved, actState: .finished, ticketID: a.ticket.id, in: tx))
            }
            let resolved = try db.withReader { try a.scope.tickets.byID(a.ticket.id, on: $0)! }
            #expect(resolved.status == .resolved && resolved.actState == .finished && resolved.resolvedAt != nil)
            try db.write { tx throws in
                #expect(try a.scope.tickets.setStatus(.open, actState: .onGoing, ticketID: a.ticket.id, in: tx))
                #expect(try a.scope.tickets.setDepartment(a.department.id, assigneeID: nil, ticketID: a.ticket.id, in: tx))
            }
            let reopened = try db.withReader { try a.scope.tickets.byID(a.ticket.id, on: $0)! }
            #expect(reopened.status == .open && reopened.actState == .onGoing && reopened.resolvedAt == nil && reopened.assigneeID == nil)
        }
    }
}
