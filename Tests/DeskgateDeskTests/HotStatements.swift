import DeskgateSQL
import Foundation
import Testing
@testable import DeskgateDesk
@testable import DeskgateStore
import DeskgateModel

/// The SQL of the hot tools as the domain issues it, recorded through `RecordingConnection`
/// while the services answer real calls on the `PlanStabilityFixture` data: `ticket_list` in
/// every category with and without `search_value` (rare, absent, dense, 1–2 characters) and
/// its filters, `search_tickets`, `ticket_detail`, `ticket_handle`'s reads and the help-desk
/// reading tools. Each distinct text once, with the call that first issued it.
struct HotStatements {
    struct Recorded {
        let label: String
        let statement: RecordingConnection.Statement
    }

    private(set) var recorded: [Recorded] = []
    private var seen: Set<String> = []
    private let database: Database

    static func record(_ fixture: PlanStabilityFixture) throws -> [Recorded] {
        var hot = HotStatements(database: fixture.database)
        try hot.workflowCalls(fixture.acme)
        try hot.searchCalls(fixture.acme)
        try hot.helpDeskCalls(fixture.acme)
        return hot.recorded
    }

    private init(database: Database) { self.database = database }

    /// Runs `body` on a recording reader and keeps each new statement that has a plan.
    private mutating func capture(_ label: String, _ body: (RecordingConnection) throws -> Void) throws {
        let statements = try database.withReader { db in
            let recorder = RecordingConnection(db)
            try body(recorder)
            return recorder.statements
        }
        keep(statements, label: label)
    }

    private mutating func keep(_ statements: [RecordingConnection.Statement], label: String) {
        for statement in statements where Self.hasPlan(statement.sql) && seen.insert(statement.sql).inserted {
            recorded.append(Recorded(label: label, statement: statement))
        }
    }

    static func hasPlan(_ sql: String) -> Bool {
        let verb = sql.drop(while: \.isWhitespace).prefix(while: { !$0.isWhitespace }).uppercased()
        return ["SELECT", "WITH", "INSERT", "UPDATE", "DELETE"].contains(verb)
    }

    private func actor(_ name: String, _ scope: TenantScope) throws -> DeskActor {
        try database.withReader { db in
            let tenant = try #require(try TenantDirectory().byID(scope.tenantKey.id, on: db))
            let user = try #require(try scope.users.byEmail("\(name)@\(tenant.slug).test", on: db))
            return try DeskActor.load(tenant: scope, userID: user.id, via: .mcp, on: db)
        }
    }

    private mutating func workflowCalls(_ scope: TenantScope) throws {
        let admin = try actor("admin", scope), lee = try actor("lee", scope)
        let itWorkflow = try #require(try database.withReader { try scope.workflows.byName("IT access request", on: $0) })
        let list = WorkflowTicketList()
        let callers: [(WorkflowTicketFilter.Category, DeskActor, String)] = [
            (.duty, lee, "lee"), (.owner, lee, "lee"), (.relation, lee, "lee"), (.worked, lee, "lee"),
            (.view, lee, "lee"), (.intervene, lee, "lee"), (.view, admin, "admin"), (.intervene, admin, "admin"), (.all, admin, "admin"),
        ]
        for (category, who, name) in callers {
            let plain = WorkflowTicketFilter(category: category, userID: 0, departmentIDs: [], isTenantAdmin: false)
            for search in [nil, "vpn", "zzz-none", "bulk", "vp"] as [String?] {
                var filter = plain
                filter.search = search
                try capture("ticket_list \(category) search \(search ?? "-") (\(name))") {
                    _ = try list.page(filter, page: 1, perPage: 20, actor: who, on: $0)
                }
            }
            let filtered: [(String, (inout WorkflowTicketFilter) -> Void)] = [
                ("act_state", { $0.actStates = [.onGoing] }),
                ("workflow_ids", { $0.workflowIDs = [itWorkflow.id] }),
                ("creator_id", { $0.creatorID = lee.user.id }),
                ("oldest first", { $0.newestFirst = false }),
                ("act_state + bulk", { $0.actStates = [.onGoing]; $0.search = "bulk" }),
            ]
            for (what, change) in filtered {
                var filter = plain
                change(&filter)
                try capture("ticket_list \(category) \(what) (\(name))") {
                    _ = try list.page(filter, page: 1, perPage: 20, actor: who, on: $0)
                }
            }
            try capture("ticket_list \(category) page 60 (\(name))") {
                _ = try list.page(plain, page: 60, perPage: 20, actor: who, on: $0)
            }
            // The plans the data above may not reach: matches as a set after a walk that missed.
            var forced = plain
            forced.search = "vpn"
            forced.userID = who.user.id
            forced.departmentIDs = who.departmentIDs
            forced.isTenantAdmin = who.user.role == .admin
            forced.createdFrom = 0
            forced.createdTo = Int64.max / 2
            try capture("ticket_list \(category) vpn as a set (\(name))") {
                _ = try scope.ticketFlow.list(forced, limit: 20, offset: 0, titleDrivingLimit: 0, titleWalkRows: 4, on: $0)
            }
        }
        // A tenant's MCP data limit (a department and a tag) narrows every listing.
        let limit = try dataLimit(scope)
        for (category, who) in [(WorkflowTicketFilter.Category.all, admin), (.duty, lee)] {
            for search in [nil, "bulk", "vpn"] as [String?] {
                var filter = WorkflowTicketFilter(category: category, userID: 0, departmentIDs: [], isTenantAdmin: false)
                filter.search = search
                try capture("ticket_list \(category) search \(search ?? "-") within a data limit") {
                    _ = try list.page(filter, page: 1, perPage: 20, actor: who.limited(by: limit), on: $0)
                }
            }
        }
        try ticketReads(scope, admin: admin, lee: lee)
    }

    private func dataLimit(_ scope: TenantScope) throws -> MCPDataLimit {
        try database.withReader { db in
            MCPDataLimit(departmentIDs: [try #require(try scope.departments.byName("IT", on: db)).id],
                         tagIDs: [try #require(try scope.tags.byName("vip", on: db)).id])
        }
    }

    /// `ticket_detail` (a workflow ticket, a parent, a help-desk one) and the reads of `ticket_handle`.
    private mutating func ticketReads(_ scope: TenantScope, admin: DeskActor, lee: DeskActor) throws {
        let (waiting, parent) = try database.withReader { db in
            (try db.queryOne("""
                SELECT t.number FROM tickets t JOIN workflow_nodes n ON n.tenant_id = t.tenant_id AND n.id = t.node_id
                WHERE t.tenant_id = ?1 AND n.key = 'it_approval' AND t.act_state = 'on_going' ORDER BY t.id LIMIT 1
                """, scope.tenantKey) { $0.int64(0) },
             try db.queryOne("""
                SELECT p.number FROM tickets c JOIN tickets p ON p.tenant_id = c.tenant_id AND p.id = c.parent_ticket_id
                WHERE c.tenant_id = ?1 LIMIT 1
                """, scope.tenantKey) { $0.int64(0) })
        }
        let number = try #require(waiting)
        let service = WorkflowTicketService(database: database)
        try capture("ticket_detail workflow (lee)") { _ = try service.detail(.number(number), actor: lee, on: $0) }
        if let parent {
            try capture("ticket_detail parent (admin)") { _ = try service.detail(.number(parent), actor: admin, on: $0) }
        }
        try capture("ticket_detail help desk (admin)") { _ = try service.detail(.number(1), actor: admin, on: $0) }
        // ticket_handle: its reads and writes as `WorkflowTicketService.handle` runs them, rolled back.
        do {
            try database.write { tx in
                let recorder = RecordingConnection(tx.connection)
                let actor = try lee.reloaded(on: recorder)
                let ref = TicketRef.number(number)
                let ticket = try WorkflowTicketService.ticket(ref, actor: actor, on: recorder)
                _ = try WorkflowTicketService.supportTicket(ticket, ref: ref, actor: actor, on: recorder)
                let (flow, access) = try WorkflowTicketService.locate(ticket, ref: ref, actor: actor, on: recorder)
                _ = try FlowCommand(flow: flow, access: access, tx: WriteTransaction(connection: recorder))
                    .run(FlowRequest(actionType: "agree", actionID: "approve"), dryRun: true)
                throw Handled(statements: recorder.statements)
            }
        } catch let handled as Handled {
            keep(handled.statements, label: "ticket_handle agree (lee)")
        }
    }

    /// Ends the `ticket_handle` write job (rolled back) with what it ran.
    private struct Handled: Error {
        let statements: [RecordingConnection.Statement]
    }
}

extension HotStatements {
    /// `search_tickets` through the service, then the repository's plans forced (thresholds low,
    /// as `TicketSearchTests` does): the walks and the set checks a large tenant takes.
    fileprivate mutating func searchCalls(_ scope: TenantScope) throws {
        let admin = try actor("admin", scope), lee = try actor("lee", scope)
        let it = try #require(try database.withReader { try scope.departments.byName("IT", on: $0) })
        let service = TicketService(database: database)
        let searches: [(String, TicketSearch, DeskActor)] = [
            ("one word", TicketSearch(text: "thanks"), admin),
            ("two words", TicketSearch(text: "password reset"), admin),
            ("phrase", TicketSearch(text: "\"password reset\""), admin),
            ("prefix", TicketSearch(text: "invoi*"), admin),
            ("absent", TicketSearch(text: "zzz-none"), admin),
            ("word + status + department", TicketSearch(text: "invoice", statuses: [.open], departmentID: it.id), admin),
            ("one word, sees only IT", TicketSearch(text: "thanks"), lee),
            ("two words, sees only IT", TicketSearch(text: "password reset"), lee),
            ("status only", TicketSearch(statuses: [.open]), admin),
            ("tag", TicketSearch(tag: "vip"), admin),
            ("word + created before", TicketSearch(text: "thanks", createdBefore: Int64(Date().timeIntervalSince1970 * 1000) - 30 * 86_400_000), admin),
            ("no filter, sees only IT", TicketSearch(), lee),
            ("one word within a data limit", TicketSearch(text: "thanks"), admin.limited(by: try dataLimit(scope))),
        ]
        for (label, search, who) in searches {
            try capture("search_tickets \(label)") { _ = try service.search(search, actor: who, on: $0) }
        }
        let vip = try database.withReader { try scope.tags.byName("vip", on: $0)?.id }
        for (label, search, who) in searches {
            var filter = TicketFilter()
            filter.text = search.text
            filter.statuses = search.statuses
            filter.departmentID = search.departmentID
            filter.createdBefore = search.createdBefore
            filter.tagID = search.tag == nil ? nil : vip
            filter.visibility = who.permissions.visibility
            filter.limit = 21
            for (driving, probe) in [(0, 2_000), (0, 3)] {
                try capture("search_tickets \(label) forced \(driving)/\(probe)") {
                    _ = try scope.tickets.find(filter, drivingSetLimit: driving, probeWindow: probe, on: $0)
                }
            }
        }
    }

    /// The help-desk reading tools on one help-desk ticket, the directory tools, `user_list`.
    fileprivate mutating func helpDeskCalls(_ scope: TenantScope) throws {
        let admin = try actor("admin", scope), lee = try actor("lee", scope)
        let service = TicketService(database: database)
        for (name, who) in [("admin", admin), ("lee", lee)] {
            try capture("get_ticket_metadata (\(name))") { _ = try? service.metadata(.number(2), actor: who, on: $0) }
            try capture("get_ticket_context (\(name))") { _ = try? service.context(.number(2), actor: who, on: $0) }
            try capture("get_ticket_messages (\(name))") { _ = try? service.messages(.number(2), actor: who, on: $0) }
            try capture("get_ticket_tags (\(name))") { _ = try? service.tags(.number(2), actor: who, on: $0) }
            try capture("list_departments (\(name))") { _ = try service.departments(actor: who, on: $0) }
            try capture("list_agents (\(name))") { _ = try service.agents(actor: who, on: $0) }
            try capture("user_list (\(name))") {
                _ = try UserListing().page(UserListing.Filter(search: "lee"), actor: who, on: $0)
            }
        }
    }
}
