import Dispatch
import Foundation
import Testing
import DeskgateDesk
import DeskgateStore
import DeskgateModel

/// Not a pass/fail test: times representative searches on a large demo database.
/// `deskgate demo --tickets 1000000 --database /tmp/big.sqlite`, then
/// `DESKGATE_BENCH_DB=/tmp/big.sqlite swift test -c release -Xswiftc -enable-testing --filter SearchBenchmark`.
@Suite struct SearchBenchmark {
    static let path = ProcessInfo.processInfo.environment["DESKGATE_BENCH_DB"] ?? ""

    @Test(.enabled(if: !path.isEmpty)) func representativeSearches() throws {
        let database = try Database.open(path: Self.path)
        defer { database.close() }
        let service = TicketService(database: database)
        let reader = try database.openReader()
        let tenant = try #require(try TenantDirectory().bySlug("acme", on: reader))
        let scope = tenant.scope
        func actor(_ email: String) throws -> DeskActor {
            guard let user = try scope.users.byEmail(email, on: reader) else { throw DeskError.notFound(email) }
            return try DeskActor.load(tenant: scope, userID: user.id, via: .cli, on: reader)
        }
        let admin = try actor("admin@acme.test"), dana = try actor("dana@acme.test"), viewer = try actor("viewer@acme.test")
        let lee = try actor("lee@acme.test")
        let departments = try scope.departments.list(on: reader)
        let billing = try #require(departments.first { $0.name == "Billing" })
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let day: Int64 = 86_400_000
        // A rare word: one new ticket carries it.
        _ = try service.createTicket(TicketDraft(subject: "Quokka sighting near the loading dock", body: "A quokka ate the cables"),
                                     actor: admin)

        func time(_ label: String, _ body: () throws -> Int) rethrows {
            var samples: [Double] = []
            var count = 0
            for _ in 0..<7 {
                let start = DispatchTime.now().uptimeNanoseconds
                count = try body()
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            samples.sort()
            print(String(format: "BENCH %-58@ median %7.2f ms  max %7.2f ms  rows %d", label as NSString, samples[3], samples[6], count))
        }
        func search(_ label: String, _ s: TicketSearch, _ who: DeskActor? = nil) throws {
            try time(label) { try service.search(s, actor: who ?? admin, on: reader).tickets.count }
        }

        try search("admin, no filter", TicketSearch())
        try search("status open", TicketSearch(statuses: [.open]))
        try search("status open+pending, priority high", TicketSearch(statuses: [.open, .pending], priorities: [.high]))
        try search("priority urgent, status closed", TicketSearch(statuses: [.closed], priorities: [.urgent]))
        try search("assignee dana, status open", TicketSearch(statuses: [.open], assigneeID: dana.user.id))
        try search("department billing, unassigned", TicketSearch(departmentID: billing.id, unassigned: true))
        try search("assignee = viewer (no tickets)", TicketSearch(assigneeID: viewer.user.id))
        try search("tag escalated", TicketSearch(tag: "escalated"))
        try search("tag vip + status new + priority low", TicketSearch(statuses: [.new], priorities: [.low], tag: "vip"))
        try search("text 'invoice'", TicketSearch(text: "invoice"))
        try search("text 'sso saml'", TicketSearch(text: "sso saml"))
        try search("text 'screenshot' (message word)", TicketSearch(text: "screenshot"))
        try search("text 'quokka' (rare)", TicketSearch(text: "quokka"))
        try search("text 'zyzzyva' (no match)", TicketSearch(text: "zyzzyva"))
        try search("text 'refund' + status closed", TicketSearch(text: "refund", statuses: [.closed]))
        try search("text 'webhook' + department billing (none)", TicketSearch(text: "webhook", departmentID: billing.id))
        try search("unassigned + status closed (none)", TicketSearch(statuses: [.closed], unassigned: true))
        try search("assignee priya (Billing) + department IT (none)",
                   TicketSearch(departmentID: departments.first { $0.name == "IT" }!.id, assigneeID: try actor("priya@acme.test").user.id))
        try search("tag vip + department IT (none)", TicketSearch(departmentID: departments.first { $0.name == "IT" }!.id, tag: "vip"))
        try search("tag login + text 'invoice' (sparse)", TicketSearch(text: "invoice", tag: "login"))
        try search("created in the last day", TicketSearch(createdAfter: now - day))
        try search("created before 170 days ago", TicketSearch(createdBefore: now - 170 * day))
        try search("updated between 90 and 89 days ago", TicketSearch(updatedAfter: now - 90 * day, updatedBefore: now - 89 * day))
        try search("agent dana (department visibility), no filter", TicketSearch(), dana)
        try search("agent lee, status closed, priority urgent", TicketSearch(statuses: [.closed], priorities: [.urgent]), lee)
        try search("viewer, text 'login'", TicketSearch(text: "login"), viewer)
        try search("admin, limit 100", TicketSearch(limit: 100))
        try time("10th page (cursor), status open") {
            var s = TicketSearch(statuses: [.open])
            var rows = 0
            for _ in 0..<10 {
                let page = try service.search(s, actor: admin, on: reader)
                rows = page.tickets.count
                s.cursor = page.nextCursor
            }
            return rows
        }
        try time("metadata #500000") { try service.metadata(.number(500_000), actor: admin, on: reader).messageCount }
        try time("context #500000") { try service.context(.number(500_000), actor: admin, on: reader).recentMessages.count }
        try time("messages #500000") { try service.messages(.number(500_000), actor: admin, on: reader).messages.count }
        try time("list_departments (open counts)") { try service.departments(actor: admin, on: reader).count }
        try time("list_agents") { try service.agents(actor: admin, on: reader).count }
    }
}
