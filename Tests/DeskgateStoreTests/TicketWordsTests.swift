import DeskgateSQL
import Foundation
import Testing
@testable import DeskgateStore
import DeskgateModel

/// The per-ticket documents of migration 13 follow every change that alters what a ticket
/// holds or which filters it meets: after each change, `find` (through the documents) returns
/// what the word-by-word `search` finds, narrowed by the filters in Swift, on each engine.
@Suite struct TicketWordsTests {
    @Test func documentsFollowEveryChangeOnSQLite() throws {
        try withDatabase { db in try exercise(db, slug: "lite") }
    }

    /// Tickets written in bulk (migration 14: their documents written once, at the batch's
    /// end) hold the same documents and follow later changes alike.
    @Test func bulkWrittenDocumentsFollowEveryChangeOnSQLite() throws {
        try withDatabase { db in
            try exercise(db, slug: "bulk", bulk: true)
            try db.withReader { conn in
                let paused = try conn.queryOne("SELECT count(*) FROM ticket_words_paused") { $0.int(0) }
                #expect(paused == 0)
            }
        }
    }

    /// A bulk write that fails part way leaves the switch off: a later write in the same
    /// transaction is indexed as usual.
    @Test func aFailedBulkWriteLeavesIndexingOn() throws {
        try withDatabase { db in
            let scope = try db.write { tx throws in try TenantDirectory().create(slug: "fail", name: "fail", in: tx).scope }
            struct Stop: Error {}
            let ticket = try db.write { tx throws -> Int64 in
                #expect(throws: Stop.self) {
                    _ = try scope.tickets.bulkWrite(in: tx) {
                        _ = try scope.tickets.createBatch([NewTicket(subject: "Lost quokka", status: .open)], in: tx)
                        throw Stop()
                    }
                }
                return try scope.tickets.create(NewTicket(subject: "Found wombat", status: .open), in: tx).id
            }
            try db.withReader { conn in
                var filter = TicketFilter()
                filter.text = "wombat"
                #expect(try scope.tickets.find(filter, on: conn).map(\.ticket.id) == [ticket])
                let paused = try conn.queryOne("SELECT count(*) FROM ticket_words_paused") { $0.int(0) }
                #expect(paused == 0)
            }
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] != nil))
    func documentsFollowEveryChangeOnPostgres() throws {
        let url = try #require(ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"])
        let db = try Database.open(path: url)
        defer { db.close() }
        try exercise(db, slug: "words-" + UUID().uuidString.prefix(8).lowercased())
    }

    private static let words = ["printer", "toner", "vpn", "invoice", "reset", "printer toner", "\"toner smoke\"", "inv*", "smok*"]

    private func exercise(_ db: Database, slug: String, bulk: Bool = false) throws {
        let (scope, it, billing, user) = try db.write { tx throws in
            let scope = try TenantDirectory().create(slug: slug, name: slug, in: tx).scope
            let user = try scope.users.create(NewUser(email: "a@\(slug).test", name: "A", role: .agent, passwordHash: "x"), in: tx)
            return (scope, try scope.departments.create(name: "IT", in: tx), try scope.departments.create(name: "Billing", in: tx), user)
        }
        let subjects = ["Printer broken", "VPN down", "Invoice question", "Password reset"]
        let (tickets, messages) = try db.write { tx throws -> ([Int64], [Int64]) in
            if bulk {
                var messages: [Int64] = []
                let tickets = try scope.tickets.bulkWrite(in: tx) {
                    let ids = try scope.tickets.createBatch(subjects.enumerated().map { index, subject in
                        NewTicket(subject: subject, status: .open, departmentID: index < 2 ? it.id : billing.id,
                                  createdAt: Int64(index + 1) * 1_000)
                    }, in: tx)
                    messages = try scope.messages.appendBatch(ids.enumerated().flatMap { index, id in
                        ["toner smoke everywhere", "thanks"].map {
                            NewMessage(ticketID: id, kind: .reply, author: .system, body: $0, createdAt: Int64(index + 1) * 1_000 + 5)
                        }
                    }, in: tx)
                    return ids
                }
                return (tickets, messages)
            }
            var tickets: [Int64] = []
            var messages: [Int64] = []
            for (index, subject) in subjects.enumerated() {
                let ticket = try scope.tickets.create(NewTicket(subject: subject, status: .open, departmentID: index < 2 ? it.id : billing.id,
                                                                createdAt: Int64(index + 1) * 1_000), in: tx)
                tickets.append(ticket.id)
                for body in ["toner smoke everywhere", "thanks"] {
                    let message = try scope.messages.append(NewMessage(ticketID: ticket.id, kind: .reply, author: .system, body: body,
                                                                       createdAt: Int64(index + 1) * 1_000 + 5), in: tx)
                    messages.append(try #require(message).id)
                }
            }
            return (tickets, messages)
        }
        try expectSame(scope, db, it: it.id, user: user.id, "seeded")
        let changes: [(String, String, [Int64])] = [
            ("message deleted", "DELETE FROM messages WHERE id = ?1", [messages[0]]),
            ("message edited", "UPDATE messages SET body = 'printer toner invoice' WHERE id = ?1", [messages[2]]),
            ("message moved", "UPDATE messages SET ticket_id = ?2 WHERE id = ?1", [messages[4], tickets[3]]),
            ("subject changed", "UPDATE tickets SET subject = 'VPN printer' WHERE id = ?1", [tickets[2]]),
            ("status changed", "UPDATE tickets SET status = 'closed' WHERE id = ?1", [tickets[1]]),
            ("department changed", "UPDATE tickets SET department_id = ?2 WHERE id = ?1", [tickets[3], it.id]),
            ("assigned", "UPDATE tickets SET assignee_id = ?2, status = 'pending' WHERE id = ?1", [tickets[2], user.id]),
            ("ticket deleted", "DELETE FROM tickets WHERE id = ?1", [tickets[0]]),
        ]
        for (label, sql, values) in changes {
            try db.write { tx in _ = try tx.connection.run(sql, bindings: values.map { $0 as any SQLBindable }) }
            try expectSame(scope, db, it: it.id, user: user.id, label)
        }
        // A new ticket may take the deleted one's rowid on SQLite: it starts with nothing of it.
        try db.write { tx throws in
            _ = try scope.tickets.create(NewTicket(subject: "Fresh start", status: .open, departmentID: it.id, createdAt: 9_000), in: tx)
        }
        try expectSame(scope, db, it: it.id, user: user.id, "new ticket")
    }

    private func expectSame(_ scope: TenantScope, _ db: Database, it: Int64, user: Int64, _ label: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        try db.withReader { conn in
            // PostgreSQL's private filter lexemes (migration 17) are exactly the row's values: none
            // stale after a change, none missing.
            if conn.dialect == .postgres {
                let stale = try conn.queryOne("""
                    SELECT count(*) FROM tickets t JOIN ticket_words w ON w.tenant_id = t.tenant_id AND w.ticket_id = t.id
                    WHERE t.tenant_id = ?1
                      AND ARRAY(SELECT x FROM unnest(tsvector_to_array(w.words)) AS x WHERE x LIKE '_:%' ORDER BY x)
                          <> ARRAY(SELECT x FROM unnest(tsvector_to_array(deskgate_ticket_attributes(
                                 t.status, t.priority, t.department_id, t.assignee_id, t.creator_id))) AS x ORDER BY x)
                    """, scope.tenantKey) { $0.int(0) }
                #expect(stale == 0, "\(label): filter lexemes", sourceLocation: sourceLocation)
            }
            for text in Self.words {
                let reference = try scope.tickets.search(text.replacingOccurrences(of: "*", with: ""), limit: 100, on: conn)
                let prefix = text.hasSuffix("*")
                for (name, keep, change) in Self.filters(it: it, user: user) {
                    var filter = TicketFilter()
                    filter.text = text
                    filter.limit = 100
                    change(&filter)
                    var first: Set<Int64>?
                    for (plan, driving, window) in [("driven", 1_000_000, 2_000), ("probed", 0, 2_000), ("sorted", 0, 1)] {
                        let found = Set(try scope.tickets.find(filter, drivingSetLimit: driving, probeWindow: window, on: conn).map(\.ticket.id))
                        // Every plan finds the same tickets (a prefix's walk-first plan included).
                        #expect(found == first ?? found, "\(label) \(text) \(name) \(plan) differs", sourceLocation: sourceLocation)
                        first = first ?? found
                        if prefix {
                            // Prefixes find at least what the whole word finds.
                            #expect(found.isSuperset(of: reference.filter(keep).map(\.id)), "\(label) \(text) \(name) \(plan)",
                                    sourceLocation: sourceLocation)
                        } else {
                            #expect(found == Set(reference.filter(keep).map(\.id)), "\(label) \(text) \(name) \(plan)",
                                    sourceLocation: sourceLocation)
                        }
                    }
                }
            }
        }
    }

    private static func filters(it: Int64, user: Int64) -> [(String, (Ticket) -> Bool, (inout TicketFilter) -> Void)] {
        [
            ("none", { _ in true }, { _ in }),
            ("open", { $0.status == .open }, { $0.statuses = [.open] }),
            ("IT", { $0.departmentID == it }, { $0.departmentID = it }),
            ("sees IT", { $0.departmentID == it }, { $0.visibility = .departments([it]) }),
            ("IT or mine", { $0.departmentID == it || $0.assigneeID == user || $0.creatorID == user },
             { $0.visibility = .departmentsOrParticipant([it], userID: user) }),
            ("unassigned", { $0.assigneeID == nil }, { $0.unassignedOnly = true }),
            ("assigned to me", { $0.assigneeID == user }, { $0.assigneeID = user }),
            ("created before 2.5 s", { $0.createdAt < 2_500 }, { $0.createdBefore = 2_500 }),
        ]
    }
}
