import DeskgateSQL
import Testing
@testable import DeskgateStore
import DeskgateModel

/// `search_tickets`' walks on SQLite at thresholds small enough for a few hundred tickets: the
/// dense walk's sample and its continuation, the ordered walk's matches read only within the
/// ids it walks, and a creation window sorted on its own. Update order is a permutation of id
/// order here, so an old ticket is often among the newest rows and every id span is wide and
/// ragged. Every plan must give the page, and each next page, that the plan driven by all
/// matches gives.
@Suite struct SearchWalkTests {
    /// Words in every fourth ticket, every 25th, three, nearly all; two words; a phrase.
    private static let texts = ["alpha", "beta", "gamma", "common", "alpha beta", "\"common alpha\""]

    @Test func everyWalkGivesTheDrivenPages() throws {
        try withDatabase { db in
            let scope = try db.write { tx throws in try TenantDirectory().create(slug: "walks", name: "walks", in: tx).scope }
            let count = 240
            try db.write { tx throws in
                for i in 0..<count {
                    var words = ["common"]
                    if i % 4 == 0 { words.append("alpha") }
                    if i % 25 == 0 { words.append("beta") }
                    if [3, 100, 200].contains(i) { words.append("gamma") }
                    if i % 7 == 0 { words = ["nothing"] }
                    let ticket = try scope.tickets.create(NewTicket(subject: "Ticket \(i)", status: i % 3 == 0 ? .open : .pending,
                                                                    createdAt: Int64(i) * 1_000), in: tx)
                    _ = try scope.messages.append(NewMessage(ticketID: ticket.id, kind: .reply, author: .system,
                                                             body: words.joined(separator: " "), createdAt: Int64(i) * 1_000 + 1), in: tx)
                    // Update order: a permutation of creation order, ties included.
                    _ = try tx.connection.run("UPDATE tickets SET updated_at = ?1 WHERE id = ?2",
                                              bindings: [Int64((i * 97) % count / 2) * 1_000 + 900_000, ticket.id])
                }
            }
            let filters: [(String, (inout TicketFilter) -> Void)] = [
                ("none", { _ in }),
                ("open", { $0.statuses = [.open] }),
                ("created before 8 s", { $0.createdBefore = 8_000 }),
                ("created from 100 s to 180 s", { $0.createdAfter = 100_000; $0.createdBefore = 180_000 }),
                ("created from 30 s", { $0.createdAfter = 30_000 }),
            ]
            try db.withReader { conn in
                for text in Self.texts {
                    for (name, change) in filters {
                        var filter = TicketFilter()
                        filter.text = text
                        change(&filter)
                        filter.limit = 1_000
                        let all = try scope.tickets.find(filter, drivingSetLimit: 1_000_000, probeWindow: 2_000, on: conn).map(\.ticket.id)
                        #expect(name != "none" || all.count >= 2, "\(text): the data should match")
                        for (driving, window) in [(0, 2_000), (0, 100), (0, 40), (0, 12), (0, 1)] {
                            var pages: [Int64] = []
                            var page = filter
                            page.limit = 7
                            while true {
                                let found = try scope.tickets.find(page, drivingSetLimit: driving, probeWindow: window, on: conn)
                                pages += found.map(\.ticket.id)
                                guard found.count == page.limit, let last = found.last?.ticket else { break }
                                page.after = TicketPosition(updatedAt: last.updatedAt, id: last.id)
                                if pages.count > count { break }
                            }
                            #expect(pages == all, "\(text), \(name), plan (\(driving), \(window))")
                        }
                    }
                }
            }
        }
    }

    /// A prefix of few words is searched as those words (migration 23's vocabulary), a prefix of
    /// many as a prefix; both find what the prefix means, and the snippet marks the word found.
    @Test func prefixesBecomeTheWordsTheyStart() throws {
        try withDatabase { db in
            let (scope, other) = try db.write { tx throws in
                (try TenantDirectory().create(slug: "prefixes", name: "prefixes", in: tx).scope,
                 try TenantDirectory().create(slug: "others", name: "others", in: tx).scope)
            }
            let bodies = ["Invoice attached", "two invoices", "invoicing run", "the invoker", "zeta0 zeta1 zeta2 zeta3 zeta4",
                          "zeta5 zeta6 zeta7 zeta8", "Résumé sent", "nothing here"]
            let ids = try db.write { tx throws -> [Int64] in
                // Another tenant's words are in the same index: they widen an expansion, never a result.
                let foreign = try other.tickets.create(NewTicket(subject: "Foreign", status: .open, createdAt: 1), in: tx)
                _ = try other.messages.append(NewMessage(ticketID: foreign.id, kind: .reply, author: .system,
                                                         body: "invoicer zeta9", createdAt: 2), in: tx)
                return try bodies.enumerated().map { index, body in
                    let ticket = try scope.tickets.create(NewTicket(subject: "Ticket \(index)", status: .open,
                                                                    createdAt: Int64(index + 1) * 1_000), in: tx)
                    _ = try scope.messages.append(NewMessage(ticketID: ticket.id, kind: .reply, author: .system, body: body,
                                                             createdAt: Int64(index + 1) * 1_000 + 1), in: tx)
                    return ticket.id
                }
            }
            try db.withReader { conn in
                func expansion(_ text: String) throws -> [String]?? {
                    try scope.tickets.expandingPrefixes(TicketRepository.searchWords(text), on: conn).map { $0[0].expansion }
                }
                #expect(try expansion("invoi*") == .some(["invoice", "invoicer", "invoices", "invoicing"]))
                #expect(try expansion("INVOI*") == .some(["invoice", "invoicer", "invoices", "invoicing"]))
                #expect(try expansion("zeta*") == .some(nil))     // ten words: searched as a prefix
                #expect(try expansion("résu*") == .some(nil))     // beyond ASCII: searched as a prefix
                #expect(try expansion("qqqz*") == .none)          // no word: nothing can match
                #expect(try expansion("invoice") == .some(nil))   // not a prefix
                #expect(TicketRepository.asciiSuccessor(of: "Az9") == "az:")

                let cases: [(String, [Int])] = [("invoi*", [0, 1, 2]), ("INVOI*", [0, 1, 2]), ("invo*", [0, 1, 2, 3]),
                                                ("zeta*", [4, 5]), ("résu*", [6]), ("qqqz*", []), ("invoi* zeta*", []),
                                                ("invoic* two", [1])]
                for (text, expected) in cases {
                    var filter = TicketFilter()
                    filter.text = text
                    for (driving, window) in [(1_000_000, 2_000), (0, 2_000), (0, 1)] {
                        let found = try scope.tickets.find(filter, drivingSetLimit: driving, probeWindow: window, on: conn)
                        #expect(Set(found.map(\.ticket.id)) == Set(expected.map { ids[$0] }), "\(text) (\(driving), \(window))")
                    }
                }
                var filter = TicketFilter()
                filter.text = "invoi*"
                let snippets = try scope.tickets.find(filter, on: conn).compactMap(\.snippet).sorted()
                #expect(snippets == ["[Invoice] attached", "[invoicing] run", "two [invoices]"])
            }
        }
    }
}
