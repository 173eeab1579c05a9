import DeskgateDemo
import DeskgateCrypto
import DeskgateJSON
import Foundation
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateStore
import DeskgateModel

/// The demo tenant with both documented workflows imported; actors by demo email.
final class WorkflowDesk: @unchecked Sendable {
    let database: Database
    let scope: TenantScope
    let service: WorkflowTicketService

    init() throws {
        database = try Database.open(path: NSTemporaryDirectory() + "deskgate-flow-\(UUID().uuidString)/db.sqlite")
        var options = DemoDataGenerator.Options()
        options.tickets = 3
        options.passwordHasher = PasswordHasher(logN: 10, r: 8, p: 1)
        options.workflows = false
        scope = try DemoDataGenerator(database: database).run(options) { _, _ in }.tenant.scope
        for name in WorkflowExamples.names {
            _ = try WorkflowService(database: database, scope: scope).importDocument(try WorkflowExamples.text(name))
        }
        service = WorkflowTicketService(database: database)
    }

    deinit { database.close() }

    func actor(_ name: String) throws -> DeskActor {
        try database.withReader { db in
            let user = try scope.users.byEmail("\(name)@acme.test", on: db)!
            return try DeskActor.load(tenant: scope, userID: user.id, via: .mcp, tokenID: 7, on: db)
        }
    }

    func id(_ name: String) throws -> Int64 { try actor(name).user.id }

    func create(_ workflow: String, by name: String, _ fields: JSONObject, submit: String? = "submit") throws -> FlowOutcome {
        try service.create(workflow: workflow, subject: "\(workflow) for \(name)", fields: fields, submit: submit, actor: try actor(name))
    }

    func handle(_ outcome: FlowOutcome, by name: String, _ type: String, _ id: String, fields: JSONObject = JSONObject(),
                node: String? = nil, target: String? = nil, comment: String? = nil, dryRun: Bool = false) throws -> FlowOutcome {
        try service.handle(.number(outcome.number),
                           FlowRequest(actionType: type, actionID: id, fields: fields, nodeKey: node,
                                       target: try target.map { try AgentSelector.parse("\($0)@acme.test") }, comment: comment),
                           actor: try actor(name), dryRun: dryRun)
    }

    func detail(_ outcome: FlowOutcome, for name: String) throws -> FlowTicketDetail {
        try service.detail(.number(outcome.number), actor: try actor(name))
    }

    func activity(_ outcome: FlowOutcome) throws -> [ActivityEntry] {
        try database.withReader { try scope.activity.list(ticketID: outcome.ticketID, limit: 100, on: $0).items }
    }
}

func flowError(_ body: () throws -> Void) -> DeskError? { deskError(body) }

@Suite("Workflow engine")
struct WorkflowEngineTests {
    static let vpn: JSONObject = ["system": "VPN", "justification": "on call this month"]

    @Test func routineAccessRequestRunsToTheEnd() throws {
        let desk = try WorkflowDesk()
        let ticket = try desk.create("IT access request", by: "sam", Self.vpn)
        #expect(ticket.actState == .onGoing)
        #expect(ticket.positions.map(\.nodeKey) == ["it_approval"])
        #expect(Set(ticket.positions[0].assignees.map(\.email)) == ["admin@acme.test", "sam@acme.test", "lee@acme.test"])

        let lee = try desk.detail(ticket, for: "lee")
        #expect(lee.actions.map(\.id) == ["approve", "send_back", "consult", "forward", "add_comment"])
        #expect(lee.fields.map(\.key) == ["system", "justification", "access_until", "approver_note"])   // provisioned hidden
        #expect(lee.optionalFields == ["approver_note"] && lee.requiredFields.isEmpty)
        #expect(lee.fields.first { $0.key == "system" }?.value == .string("VPN"))
        #expect(lee.adminActions.isEmpty)
        #expect(try desk.detail(ticket, for: "admin").adminActions.map(\.id) == ["force_forward", "force_close"])

        let approved = try desk.handle(ticket, by: "lee", "agree", "approve", fields: ["approver_note": "ok"])
        #expect(approved.positions.map(\.nodeKey) == ["provisioning"])      // VPN is routine: the gateway skips the review
        #expect(approved.positions[0].assignees.map(\.email) == ["lee@acme.test"])

        let prepared = try desk.detail(approved, for: "lee")
        #expect(prepared.actions.first { $0.id == "provisioned" }?.missingFields == ["provisioned"])
        let done = try desk.handle(approved, by: "lee", "agree", "provisioned", fields: ["provisioned": true])
        #expect(done.actState == .finished && done.positions.isEmpty)
        let row = try desk.database.withReader { try desk.scope.tickets.byID(done.ticketID, on: $0)! }
        #expect(row.status == .resolved && row.actState == .finished)

        let history = try desk.activity(done)
        #expect(history.map(\.action) == ["workflow.create", "workflow.agree", "workflow.agree", "workflow.agree"])
        #expect(history.allSatisfy { $0.via == .mcp && $0.tokenID == "7" })
        #expect(history.map(\.actorUserID) == [try desk.id("sam"), try desk.id("sam"), try desk.id("lee"), try desk.id("lee")])
    }

    @Test func sensitiveSystemsGoThroughSecurityReview() throws {
        let desk = try WorkflowDesk()
        let ticket = try desk.create("IT access request", by: "sam", ["system": "Payroll", "justification": "payroll audit"])
        let approved = try desk.handle(ticket, by: "sam", "agree", "approve")
        #expect(approved.positions.map(\.nodeKey) == ["security_review"])
        #expect(approved.positions[0].assignees.map(\.email) == ["admin@acme.test"])
        // The review requires a note: refused without one, dry run and real call alike.
        let dry = flowError { _ = try desk.handle(approved, by: "admin", "agree", "clear", dryRun: true) }
        let real = flowError { _ = try desk.handle(approved, by: "admin", "agree", "clear") }
        #expect(dry == real)
        #expect(dry == .invalid(field: "fields", reason: "'Security review' requires approver_note; supply them in fields"))
        let denied = try desk.handle(approved, by: "admin", "reject", "deny")
        #expect(denied.actState == .rejected && denied.positions.isEmpty)
    }

    @Test func aDryRunPredictsTheRealOutcomeAndWritesNothing() throws {
        let desk = try WorkflowDesk()
        let ticket = try desk.create("IT access request", by: "sam", Self.vpn)
        let before = try desk.activity(ticket).count
        let predicted = try desk.handle(ticket, by: "lee", "agree", "approve", fields: ["approver_note": "fine"], dryRun: true)
        #expect(predicted.dryRun && predicted.positions.map(\.nodeKey) == ["provisioning"])
        #expect(try desk.activity(ticket).count == before)
        #expect(try desk.detail(ticket, for: "lee").positions.map(\.nodeKey) == ["it_approval"])
        #expect(try desk.detail(ticket, for: "lee").fields.first { $0.key == "approver_note" }?.value == nil)
        let real = try desk.handle(ticket, by: "lee", "agree", "approve", fields: ["approver_note": "fine"])
        #expect(real.positions == predicted.positions && real.actState == predicted.actState
                && real.changedFields == predicted.changedFields && !real.dryRun)
    }

    @Test func sendingBackReturnsToTheCreatorAndWithdrawEnds() throws {
        let desk = try WorkflowDesk()
        let ticket = try desk.create("IT access request", by: "sam", Self.vpn)
        let back = try desk.handle(ticket, by: "lee", "reject", "send_back", comment: "which VPN profile?")
        #expect(back.actState == .inDraft && back.positions.map(\.nodeKey) == ["request"])
        #expect(back.positions[0].assignees.map(\.email) == ["sam@acme.test"])
        let notes = try desk.database.withReader { try desk.scope.messages.list(ticketID: back.ticketID, on: $0).items }
        #expect(notes.map(\.body) == ["Send back: which VPN profile?"])
        let resubmitted = try desk.handle(back, by: "sam", "agree", "submit")
        #expect(resubmitted.positions.map(\.nodeKey) == ["it_approval"])
        #expect(try desk.detail(resubmitted, for: "sam").actions.map(\.id).contains("withdraw"))
        #expect(try desk.detail(resubmitted, for: "lee").actions.map(\.id).contains("withdraw") == false)   // creators only
        let withdrawn = try desk.handle(resubmitted, by: "sam", "withdraw", "withdraw")
        #expect(withdrawn.actState == .withdrawn && withdrawn.positions.isEmpty)
        #expect(try desk.detail(withdrawn, for: "sam").actions.map(\.id) == ["add_comment"])
    }

    @Test func refundsReviewInParallelAndJoinBeforeRouting() throws {
        let desk = try WorkflowDesk()
        let ticket = try desk.create("Refund approval", by: "dana",
                                     ["customer_email": "maria@northwind.example", "amount": 800, "reason": "Unused seats"])
        #expect(Set(ticket.positions.map(\.nodeKey)) == ["finance_review", "lead_review"])
        let finance = try desk.handle(ticket, by: "priya", "agree", "finance_done", fields: ["finance_ok": true])
        #expect(finance.positions.map(\.nodeKey) == ["lead_review"])          // the join waits for the other branch
        let joined = try desk.handle(ticket, by: "dana", "agree", "lead_done", fields: ["lead_note": "long-time customer"])
        #expect(joined.positions.map(\.nodeKey) == ["admin_approval"])        // 800 > 500
        #expect(joined.positions[0].awaitingPickup)
        #expect(try desk.detail(joined, for: "admin").actions.map(\.id) == ["accept", "add_comment"])
        _ = try desk.handle(joined, by: "admin", "accept", "accept")
        let approved = try desk.handle(joined, by: "admin", "agree", "approve")
        #expect(approved.positions.map(\.nodeKey) == ["payout"])
        #expect(flowError { _ = try desk.handle(approved, by: "priya", "agree", "paid") }
                == .invalid(field: "fields", reason: "'Pay out' requires payout_reference; supply them in fields"))
        let paid = try desk.handle(approved, by: "priya", "agree", "paid", fields: ["payout_reference": "PO-1182"])
        #expect(paid.actState == .finished)
    }

    @Test func smallRefundsSkipTheAdminAndADeclineEndsEveryBranch() throws {
        let desk = try WorkflowDesk()
        let small = try desk.create("Refund approval", by: "dana", ["customer_email": "a@b.example", "amount": 120, "reason": "Other"])
        _ = try desk.handle(small, by: "priya", "agree", "finance_done", fields: ["finance_ok": true])
        #expect(try desk.handle(small, by: "dana", "agree", "lead_done").positions.map(\.nodeKey) == ["payout"])

        let declined = try desk.create("Refund approval", by: "dana", ["customer_email": "c@d.example", "amount": 50, "reason": "Other"])
        let outcome = try desk.handle(declined, by: "priya", "reject", "finance_decline")
        #expect(outcome.actState == .rejected && outcome.positions.isEmpty)
        #expect(try desk.detail(declined, for: "dana").actions.map(\.id) == ["add_comment"])
    }

    @Test func fieldsAreCheckedAgainstTheNodeAndTheirType() throws {
        let desk = try WorkflowDesk()
        let ticket = try desk.create("IT access request", by: "sam", Self.vpn)
        let cases: [(JSONObject, String)] = [
            (["system": "GitHub"], "fields.system"),              // read-only at IT approval
            (["provisioned": true], "fields.provisioned"),         // hidden there
            (["colour": "red"], "fields.colour"),                  // no such field
            (["approver_note": 5], "fields.approver_note"),        // rich text must be a string
        ]
        for (fields, field) in cases {
            guard case .invalid(let reported, _)? = flowError({ _ = try desk.handle(ticket, by: "lee", "agree", "approve", fields: fields) }) else {
                Issue.record("expected invalid for \(fields)")
                continue
            }
            #expect(reported == field)
        }
        let wrongDate = flowError {
            _ = try desk.create("IT access request", by: "sam", ["system": "VPN", "justification": "x", "access_until": "tomorrow"])
        }
        #expect(wrongDate == .invalid(field: "fields.access_until", reason: "must be a date as YYYY-MM-DD"))
        let wrongOption = flowError { _ = try desk.create("IT access request", by: "sam", ["system": "Fax", "justification": "x"]) }
        #expect(wrongOption == .invalid(field: "fields.system", reason: "must be one of 'VPN', 'GitHub', 'Payroll', 'Production database'"))
        let missing = flowError { _ = try desk.create("IT access request", by: "sam", ["system": "VPN"]) }
        #expect(missing == .invalid(field: "fields", reason: "'Request' requires justification; supply them in fields"))
        #expect(try desk.database.withReader { db in try desk.scope.tickets.count(on: db) } == 4)   // 3 demo + the one above
    }

    @Test func consultForwardAndAdminActions() throws {
        let desk = try WorkflowDesk()
        let ticket = try desk.create("IT access request", by: "sam", Self.vpn)
        let consulted = try desk.handle(ticket, by: "lee", "consult", "consult", target: "priya", comment: "is this in budget?")
        #expect(consulted.positions[0].consultant?.email == "priya@acme.test")
        #expect(try desk.detail(ticket, for: "priya").actions.map(\.id) == ["consult_submit", "add_comment"])
        #expect(try desk.detail(ticket, for: "lee").actions.map(\.id) == ["add_comment"])   // the node waits for the answer
        _ = try desk.handle(ticket, by: "priya", "consult_submit", "consult_submit", comment: "yes")
        let forwarded = try desk.handle(ticket, by: "lee", "forward", "forward", target: "sam")
        #expect(forwarded.positions[0].assignees.map(\.email) == ["sam@acme.test"])
        #expect(flowError { _ = try desk.handle(ticket, by: "lee", "agree", "approve") }.map { "\($0)" }?
                    .hasPrefix("agree 'approve' is not available to you on ticket") == true)
        let moved = try desk.handle(ticket, by: "admin", "force_forward", "force_forward", target: "lee")
        #expect(moved.positions[0].assignees.map(\.email) == ["lee@acme.test"])
        #expect(flowError { _ = try desk.handle(ticket, by: "sam", "force_close", "force_close") } != nil)
        let closed = try desk.handle(ticket, by: "admin", "force_close", "force_close", comment: "duplicate")
        #expect(closed.actState == .closed)
        let row = try desk.database.withReader { try desk.scope.tickets.byID(closed.ticketID, on: $0)! }
        #expect(row.status == .closed)
    }

    @Test func visibilityFollowsRolesWorkflowPermissionsAndRelations() throws {
        let desk = try WorkflowDesk()
        let access = try desk.create("IT access request", by: "sam", Self.vpn)
        // dana: an agent outside IT with no relation; viewer: Support only. Both: not found.
        #expect(flowError { _ = try desk.detail(access, for: "dana") } == .notFound("ticket #\(access.number)"))
        #expect(flowError { _ = try desk.detail(access, for: "viewer") } == .notFound("ticket #\(access.number)"))
        // The refund workflow grants view to Support: the viewer sees it, but cannot act.
        let refund = try desk.create("Refund approval", by: "dana", ["customer_email": "a@b.example", "amount": 10, "reason": "Other"])
        #expect(try desk.detail(refund, for: "viewer").actions.isEmpty)
        #expect(flowError { _ = try desk.handle(refund, by: "viewer", "add_comment", "add_comment", comment: "hi") }
                == .forbidden("your role 'viewer' can read workflow tickets but not act on them"))
        // priya administers the refund workflow: force actions are hers there, not on IT tickets.
        #expect(try desk.detail(refund, for: "priya").adminActions.map(\.id) == ["force_forward", "force_close"])
    }
}

@Suite("Demo workflow tickets")
struct DemoWorkflowTicketTests {
    @Test func theDemoHasWorkflowTicketsInEveryState() throws {
        let database = try Database.open(path: NSTemporaryDirectory() + "deskgate-demo-flow-\(UUID().uuidString)/db.sqlite")
        defer { database.close() }
        var options = DemoDataGenerator.Options()
        options.tickets = 2
        options.passwordHasher = PasswordHasher(logN: 10, r: 8, p: 1)
        let summary = try DemoDataGenerator(database: database).run(options) { _, _ in }
        #expect(summary.workflowTickets == 15)
        let scope = summary.tenant.scope
        let states = try database.withReader { db in
            try scope.tickets.listRecent(limit: 100, on: db).items.filter { $0.workflowVersionID != nil }.map(\.actState)
        }
        #expect(Set(states) == Set(ActState.allCases))
        let admin = try database.withReader { db in
            try DeskActor.load(tenant: scope, userID: try scope.users.byEmail("admin@acme.test", on: db)!.id, via: .cli, on: db)
        }
        let all = try database.withReader { db in
            try WorkflowTicketList().page(WorkflowTicketFilter(category: .all, userID: 0, departmentIDs: [], isTenantAdmin: true),
                                          page: 1, perPage: 100, actor: admin, on: db)
        }
        #expect(all.window.total == 15)
        // A category's count comes from the relation index alone unless other filters need the
        // tickets; both ways must agree.
        for name in ["dana", "lee", "priya", "sam"] {
            let actor = try database.withReader { db in
                try DeskActor.load(tenant: scope, userID: try scope.users.byEmail("\(name)@acme.test", on: db)!.id, via: .cli, on: db)
            }
            for category in [WorkflowTicketFilter.Category.duty, .relation, .worked] {
                var plain = WorkflowTicketFilter(category: category, userID: 0, departmentIDs: [], isTenantAdmin: false)
                var joined = plain
                joined.actStates = ActState.allCases
                plain.createdFrom = nil
                let totals = try database.withReader { db in
                    try [plain, joined].map { try WorkflowTicketList().page($0, page: 1, perPage: 100, actor: actor, on: db) }
                }
                #expect(totals[0].window.total == totals[1].window.total, "\(name) \(category)")
                #expect(totals[0].window.total == totals[0].tickets.count, "\(name) \(category)")
            }
        }
        let pickup = try #require(all.tickets.first { $0.ticket.subject.contains("outage credit") })
        #expect(pickup.nodes.map(\.key) == ["admin_approval"])
        // One parent with two children: the parent filter lists them, and the parent names them.
        let audit = try #require(all.tickets.first { $0.ticket.subject == "Payroll export for the audit" })
        var children = WorkflowTicketFilter(category: .all, userID: 0, departmentIDs: [], isTenantAdmin: true)
        children.parentTicketID = audit.ticket.id
        let listed = try database.withReader { try WorkflowTicketList().page(children, page: 1, perPage: 10, actor: admin, on: $0) }
        #expect(Set(listed.tickets.map(\.ticket.subject)) == ["Payroll export: VPN for the external auditor",
                                                               "Payroll export: GitHub read access for the audit scripts"])
        #expect(Set(listed.tickets.map(\.ticket.actState)) == [.inDraft, .onGoing])
        let detail = try WorkflowTicketService(database: database).detail(.id(audit.ticket.id), actor: admin)
        #expect(detail.children.map(\.id).sorted() == listed.tickets.map(\.ticket.id).sorted() && detail.parent == nil)
    }
}
