import DeskgateSQL
import Foundation
import Testing
@testable import DeskgateStore
import DeskgateModel

/// Full-text search finds the same tickets on PostgreSQL (tsvector + GIN) as on SQLite (FTS5):
/// one corpus with the words that tokenizers disagree on (accents, case, hyphens, addresses,
/// URLs, underscores, CJK, quotes, operators) is seeded into both, and every query of a table
/// runs through `find` under each of its plans and through `search`, on each engine.
@Suite("Search parity, SQLite and PostgreSQL",
       .enabled(if: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] != nil))
struct PostgresSearchParityTests {
    private static let corpus: [(subject: String, body: String)] = [
        ("Printer toner smoke", "Smoke is coming out of the toner tray"),
        ("Résumé upload fails", "The CV (résumé.pdf) is refused"),
        ("E-Mail bounces", "Mail to jane@example.com comes back"),
        ("Portal link broken", "https://portal.example.org/help?x=1 gives 404"),
        ("Field name", "The column invoice_total is empty"),
        ("日本語 support", "Please answer in 日本語"),
        ("Quote \"marks\" in subject", "He wrote \"NEAR\" and OR AND NOT"),
        ("Version 2.4.1 crashes", "Since v2 the app crashes at start"),
        ("Naïve café order", "Crème brûlée for the team"),
        ("Password reset", "I cannot reset my password since Monday"),
    ]

    private static let queries = [
        "toner", "SMOKE tray", "resume", "RÉSUMÉ", "e-mail", "mail", "email", "jane@example.com", "example",
        "portal.example.org", "help", "invoice_total", "invoice", "total", "日本語", "\"marks\"", "marks",
        "NEAR", "OR", "NOT toner", "2.4.1", "v2", "2", "naive cafe", "creme", "password reset", "reset password",
        "toner nothing", "!!!", "\"", "*", "a*", "toner*", "nothing",
        // Phrases (quoted), prefixes (word*), and a phrase across the subject and a message.
        "\"password reset\"", "\"reset password\"", "\"reset my password\"", "\"smoke is\" toner", "\"reset I\"",
        "\"toner tray", "\"\"", "passw*", "invoi*", "INVOI*", "cre*", "crè*", "ré*", "日本*", "portal.ex*", "zzz*", "to*",
        "\"toner\"*", "e-mai*",
    ]

    @Test func everyQueryFindsTheSameTicketsOnBothEngines() throws {
        let url = try #require(ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"])
        let postgres = try Database.open(path: url)
        defer { postgres.close() }
        let onPostgres = try seed(postgres, slug: "pg-" + UUID().uuidString.prefix(8).lowercased())
        try withDatabase { sqlite in
            let onSQLite = try seed(sqlite, slug: "lite")
            // The table is not vacuous: the words tokenizers split differently do find tickets.
            for (query, subjects) in [("example", ["Portal link broken", "E-Mail bounces"]), ("resume", ["Résumé upload fails"]),
                                      ("invoice", ["Field name"]), ("mail", ["E-Mail bounces"]), ("creme", ["Naïve café order"]),
                                      ("NOT toner", []), ("日本語", ["日本語 support"]),
                                      ("\"reset my password\"", ["Password reset"]), ("\"reset I\"", [])] {
                #expect(try answers(query, scope: onSQLite, in: sqlite)["search"] == subjects, "\(query)")
            }
            // Prefixes are `find`'s (search_tickets'), not the plain word search's.
            for (query, subjects) in [("invoi*", ["Field name"]), ("cre*", ["Naïve café order"]), ("zzz*", [])] {
                #expect(try answers(query, scope: onSQLite, in: sqlite)["driven"] == subjects, "\(query)")
            }
            for query in Self.queries {
                let expected = try answers(query, scope: onSQLite, in: sqlite)
                let actual = try answers(query, scope: onPostgres, in: postgres)
                #expect(actual == expected, "\(query)")
            }
        }
    }

    /// The filters are tokens of the documents on both engines (SQLite's since migration 13,
    /// PostgreSQL's lexemes since 16): words under each filter, visibility and data limit
    /// included, find the same tickets in the same order on both, under every plan.
    @Test func filtersInsideTheDocumentsFindTheSameTicketsOnBothEngines() throws {
        let url = try #require(ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"])
        let postgres = try Database.open(path: url)
        defer { postgres.close() }
        let onPostgres = try seedWithFilters(postgres, slug: "pgf-" + UUID().uuidString.prefix(8).lowercased())
        try withDatabase { sqlite in
            let onSQLite = try seedWithFilters(sqlite, slug: "litef")
            // Not vacuous: a filter narrows what the words alone find, to the tickets it names.
            let narrowed = try filteredAnswers("toner", onSQLite, in: sqlite)
            #expect(narrowed["none"]?.count == 6)
            #expect(narrowed["open in IT"] == ["Toner 4", "Toner 0"])
            #expect(narrowed["vip"] == ["Toner 5", "Toner 3", "Toner 1"])
            #expect(narrowed["sees IT or mine"] == ["Toner 5", "Toner 4", "Toner 2", "Toner 1", "Toner 0"])
            for query in ["toner", "toner smoke", "\"toner smoke\"", "ton*", "password", "nothing"] {
                let expected = try filteredAnswers(query, onSQLite, in: sqlite)
                #expect(try filteredAnswers(query, onPostgres, in: postgres) == expected, "\(query)")
            }
        }
    }

    private typealias Seeded = (scope: TenantScope, it: Int64, billing: Int64, user: Int64, vip: Int64)

    /// Six toner tickets across statuses, priorities, departments, people and a tag, and one other.
    private func seedWithFilters(_ db: Database, slug: String) throws -> Seeded {
        try db.write { tx throws in
            let scope = try TenantDirectory().create(slug: slug, name: slug, in: tx).scope
            let user = try scope.users.create(NewUser(email: "a@\(slug).test", name: "A", role: .agent, passwordHash: "x"), in: tx).id
            let it = try scope.departments.create(name: "IT", in: tx).id
            let billing = try scope.departments.create(name: "Billing", in: tx).id
            let vip = try scope.tags.ensure(name: "vip", in: tx).id
            let shapes: [(TicketStatus, TicketPriority, Int64?, Int64?, Int64?)] = [
                (.open, .high, it, nil, nil), (.closed, .normal, it, user, nil), (.open, .low, billing, user, nil),
                (.pending, .urgent, nil, nil, nil), (.open, .high, it, nil, user), (.new, .normal, billing, nil, user),
            ]
            for (index, shape) in shapes.enumerated() {
                let ticket = try scope.tickets.create(NewTicket(subject: "Toner \(index)", status: shape.0, priority: shape.1,
                                                                departmentID: shape.2, assigneeID: shape.3, creatorID: shape.4,
                                                                createdAt: Int64(index + 1) * 1_000), in: tx)
                _ = try scope.messages.append(NewMessage(ticketID: ticket.id, kind: .reply, author: .system, body: "toner smoke",
                                                         createdAt: Int64(index + 1) * 1_000 + 1), in: tx)
                if !index.isMultiple(of: 2) { _ = try scope.tags.attach(tagID: vip, toTicket: ticket.id, in: tx) }
            }
            _ = try scope.tickets.create(NewTicket(subject: "Password", status: .open, departmentID: it, createdAt: 9_000), in: tx)
            return (scope, it, billing, user, vip)
        }
    }

    /// Subjects per filter (every plan must agree, or the answer names the plan that differs).
    private func filteredAnswers(_ text: String, _ seeded: Seeded, in db: Database) throws -> [String: [String]] {
        let (it, billing, user, vip) = (seeded.it, seeded.billing, seeded.user, seeded.vip)
        let filters: [(String, (inout TicketFilter) -> Void)] = [
            ("none", { _ in }), ("open in IT", { $0.statuses = [.open]; $0.departmentID = it }),
            ("open or pending", { $0.statuses = [.open, .pending] }), ("high or urgent", { $0.priorities = [.high, .urgent] }),
            ("assigned to me", { $0.assigneeID = user }), ("unassigned", { $0.unassignedOnly = true }),
            ("sees IT", { $0.visibility = .departments([it]) }), ("sees IT or Billing", { $0.visibility = .departments([it, billing]) }),
            ("sees IT or mine", { $0.visibility = .departmentsOrParticipant([it], userID: user) }),
            ("only mine", { $0.visibility = .departmentsOrParticipant([], userID: user) }),
            ("limited to Billing", { $0.limitDepartmentIDs = [billing] }),
            // Not document tokens: PostgreSQL reads a small creation window or tag whole.
            ("created before 3.5 s", { $0.createdBefore = 3_500 }), ("vip", { $0.tagID = vip }),
            ("vip, open", { $0.tagID = vip; $0.statuses = [.open] }),
        ]
        return try db.withReader { conn in
            var answers: [String: [String]] = [:]
            for (name, change) in filters {
                var filter = TicketFilter()
                filter.text = text
                change(&filter)
                var plans: [String: [String]] = [:]
                for (plan, driving, window) in [("driven", 1_000_000, 2_000), ("probed", 0, 2_000), ("sorted", 0, 1)] {
                    plans[plan] = try seeded.scope.tickets.find(filter, drivingSetLimit: driving, probeWindow: window, on: conn)
                        .map(\.ticket.subject)
                }
                answers[name] = Set(plans.values).count == 1 ? plans["driven"] : ["plans differ: \(plans)"]
            }
            return answers
        }
    }

    /// The subjects each way of searching returns, plans forced by the thresholds.
    private func answers(_ text: String, scope: TenantScope, in db: Database) throws -> [String: [String]] {
        try db.withReader { conn in
            var filter = TicketFilter()
            filter.text = text
            var found: [String: [String]] = [:]
            for (name, driving, window) in [("driven", 1_000_000, 2_000), ("probed", 0, 2_000), ("sorted", 0, 1)] {
                found[name] = try scope.tickets.find(filter, drivingSetLimit: driving, probeWindow: window, on: conn)
                    .map(\.ticket.subject)
            }
            found["search"] = try scope.tickets.search(text, on: conn).map(\.subject)
            return found
        }
    }

    private func seed(_ db: Database, slug: String) throws -> TenantScope {
        try db.write { tx throws in
            let scope = try TenantDirectory().create(slug: slug, name: slug, in: tx).scope
            for (index, entry) in Self.corpus.enumerated() {
                let ticket = try scope.tickets.create(NewTicket(subject: entry.subject, createdAt: Int64(index + 1) * 1_000), in: tx)
                _ = try scope.messages.append(NewMessage(ticketID: ticket.id, kind: .reply, author: .system, body: entry.body,
                                                         createdAt: Int64(index + 1) * 1_000 + 1), in: tx)
            }
            return scope
        }
    }
}
