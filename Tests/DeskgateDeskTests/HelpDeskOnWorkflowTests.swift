import DeskgateJSON
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateStore
import DeskgateModel

/// The help-desk commands on tickets of stored workflows: they take the workflow's own step of
/// the same meaning, or refuse and say what ticket_handle offers; they never skip a step.
@Suite("Help-desk commands on workflow tickets")
struct HelpDeskOnWorkflowTests {
    /// One approval by dana, then the end: a resolve here has a step to take.
    static let quickApproval = #"""
    {
      "name": "Quick approval",
      "description": "One review, then done.",
      "fields": [{"key": "reason", "label": "Reason", "type": "text"}],
      "nodes": [
        {"key": "ask", "name": "Ask", "type": "start", "fields": {"reason": "optional"}},
        {"key": "review", "name": "Review", "type": "normal", "participant": {"type": "person", "value": "dana@acme.test"}},
        {"key": "done", "name": "Done", "type": "end"}
      ],
      "transitions": [
        {"key": "submit", "name": "Submit", "type": "agree", "from": "ask", "to": "review"},
        {"key": "approve", "name": "Approve", "type": "agree", "from": "review", "to": "done"},
        {"key": "decline", "name": "Decline", "type": "reject", "from": "review", "to": "done"}
      ],
      "permissions": [{"permission": "view", "department": "Support"}, {"permission": "admin", "user": "priya@acme.test"}]
    }
    """#

    static let refund: JSONObject = ["customer_email": "maria@northwind.example", "amount": 240, "reason": "Duplicate charge"]

    func desk() throws -> WorkflowDesk {
        let desk = try WorkflowDesk()
        _ = try WorkflowService(database: desk.database, scope: desk.scope).importDocument(Self.quickApproval)
        return desk
    }

    func tickets(_ desk: WorkflowDesk) -> TicketService { TicketService(database: desk.database) }

    func row(_ desk: WorkflowDesk, _ outcome: FlowOutcome) throws -> Ticket {
        try desk.database.withReader { try desk.scope.tickets.byID(outcome.ticketID, on: $0)! }
    }

    // MARK: resolve

    /// The reported bypass: dana resolving a refund that waits for her review and finance's.
    @Test func resolveCannotSkipAWorkflowsApprovals() throws {
        let desk = try desk()
        let refund = try desk.create("Refund approval", by: "dana", Self.refund)
        let before = try row(desk, refund)
        let activity = try desk.activity(refund).count
        for dryRun in [true, false] {
            let error = deskError { _ = try tickets(desk).resolve(.number(refund.number), actor: try desk.actor("dana"), dryRun: dryRun) }
            guard case .conflict(let text)? = error else { Issue.record("expected a refusal, got \(String(describing: error))"); return }
            #expect(text.hasPrefix("ticket #\(refund.number) follows the workflow 'Refund approval' and waits at 'Finance review'"))
            #expect(text.contains("'Support lead review' (Dana"))
            #expect(text.contains("resolve_ticket does not apply"))
            #expect(text.contains("Use ticket_handle with one of the actions open to you: agree:lead_done (Reviewed) at lead_review, "
                                  + "reject:lead_decline (Decline) at lead_review"))
        }
        let after = try row(desk, refund)
        #expect(after.status == before.status && after.actState == before.actState && after.nodeID == before.nodeID)
        #expect(try desk.detail(refund, for: "dana").positions.map(\.nodeKey) == ["finance_review", "lead_review"])
        #expect(try desk.activity(refund).count == activity)
    }

    @Test func resolveTakesTheFinishingStepWhenTheNodeOffersOne() throws {
        let desk = try desk()
        let ticket = try desk.create("Quick approval", by: "sam", [:])
        let planned = try tickets(desk).resolve(.number(ticket.number), note: "looks fine", actor: try desk.actor("dana"), dryRun: true)
        #expect(planned.applied == false)
        #expect(planned.summary == "Would resolve ticket #\(ticket.number) in its workflow 'Quick approval' with agree:approve: "
                + "it would be finished")
        #expect(try row(desk, ticket).actState == .onGoing)

        let done = try tickets(desk).resolve(.number(ticket.number), note: "looks fine", actor: try desk.actor("dana"))
        #expect(done.applied && done.action == "resolve")
        #expect(done.before["nodes"] == "Review" && done.after["act_state"] == "finished" && done.after["workflow_action"] == "agree:approve")
        let after = try row(desk, ticket)
        #expect(after.actState == .finished && after.status == .resolved)
        // The workflow's own activity row, under dana, via MCP: the same history ticket_handle writes.
        let dana = try desk.id("dana")
        let last = try #require(try desk.activity(ticket).first { $0.action == "workflow.agree" && $0.actorUserID == dana })
        #expect(last.via == .mcp)
        let notes = try desk.database.withReader { try desk.scope.messages.list(ticketID: ticket.ticketID, limit: 10, on: $0).items }
        #expect(notes.contains { $0.body == "Approve: looks fine" })
    }

    @Test func resolveLeavesRequiredFieldsToTicketHandle() throws {
        let desk = try desk()
        let small = try desk.create("Refund approval", by: "dana", ["customer_email": "a@b.example", "amount": 120, "reason": "Other"])
        _ = try desk.handle(small, by: "priya", "agree", "finance_done", fields: ["finance_ok": true])
        _ = try desk.handle(small, by: "dana", "agree", "lead_done")
        let error = deskError { _ = try tickets(desk).resolve(.number(small.number), actor: try desk.actor("priya")) }
        guard case .conflict(let text)? = error else { Issue.record("expected a refusal, got \(String(describing: error))"); return }
        #expect(text.contains("its finishing step agree:paid (Mark paid) first needs payout_reference, which ticket_handle takes in fields"))
        #expect(try row(desk, small).actState == .onGoing)
    }

    // MARK: reopen

    @Test func reopenNeverAppliesToWorkflowTickets() throws {
        let desk = try desk()
        let ticket = try desk.create("Quick approval", by: "sam", [:])
        _ = try desk.handle(ticket, by: "dana", "agree", "approve")
        for dryRun in [true, false] {
            let error = deskError { _ = try tickets(desk).reopen(.number(ticket.number), actor: try desk.actor("admin"), dryRun: dryRun) }
            guard case .conflict(let text)? = error else { Issue.record("expected a refusal, got \(String(describing: error))"); return }
            #expect(text.hasPrefix("ticket #\(ticket.number) follows the workflow 'Quick approval' and has ended (finished); "
                                   + "reopen_ticket does not apply: a workflow that has ended has no way back"))
        }
        #expect(try row(desk, ticket).status == .resolved)
    }

    // MARK: assign

    @Test func assignForwardsWithinTheWorkflow() throws {
        let desk = try desk()
        let ticket = try desk.create("Quick approval", by: "sam", [:])
        // sam holds nothing at the node: no forward for him, and the refusal says so.
        let refused = deskError { _ = try tickets(desk).assign(.number(ticket.number), to: .email("lee@acme.test"), actor: try desk.actor("sam")) }
        guard case .conflict(let text)? = refused else { Issue.record("expected a refusal, got \(String(describing: refused))"); return }
        #expect(text.contains("assign_ticket does not apply") && text.hasSuffix("You have no ticket_handle action on it now besides add_comment."))

        let planned = try tickets(desk).assign(.number(ticket.number), to: .email("lee@acme.test"), actor: try desk.actor("dana"), dryRun: true)
        #expect(planned.summary.hasPrefix("Would assign ticket #\(ticket.number) in its workflow 'Quick approval' with forward:forward"))
        #expect(try desk.detail(ticket, for: "admin").positions[0].assignees.map(\.email) == ["dana@acme.test"])
        let forwarded = try tickets(desk).assign(.number(ticket.number), to: .email("lee@acme.test"), actor: try desk.actor("dana"))
        #expect(forwarded.after["workflow_action"] == "forward:forward")
        #expect(try desk.detail(ticket, for: "admin").positions[0].assignees.map(\.email) == ["lee@acme.test"])
        // The workflow's admin hands it on with force_forward.
        let forced = try tickets(desk).assign(.number(ticket.number), to: .email("dana@acme.test"), actor: try desk.actor("priya"))
        #expect(forced.after["workflow_action"] == "force_forward:force_forward")
        #expect(try desk.detail(ticket, for: "admin").positions[0].assignees.map(\.email) == ["dana@acme.test"])
    }

    @Test func aWorkflowTicketCannotBeUnassigned() throws {
        let desk = try desk()
        let ticket = try desk.create("Quick approval", by: "sam", [:])
        let error = deskError { _ = try tickets(desk).assign(.number(ticket.number), to: nil, actor: try desk.actor("dana")) }
        guard case .conflict(let text)? = error else { Issue.record("expected a refusal, got \(String(describing: error))"); return }
        #expect(text.contains("cannot be unassigned") && text.contains("agree:approve (Approve) at review"))
        #expect(try desk.detail(ticket, for: "admin").positions[0].assignees.map(\.email) == ["dana@acme.test"])
    }

    // MARK: transfer

    @Test func transferNeverAppliesToWorkflowTickets() throws {
        let desk = try desk()
        let ticket = try desk.create("Quick approval", by: "sam", [:])
        let before = try row(desk, ticket)
        for dryRun in [true, false] {
            let error = deskError {
                _ = try tickets(desk).transfer(.number(ticket.number), toDepartment: .name("Billing"), actor: try desk.actor("admin"), dryRun: dryRun)
            }
            guard case .conflict(let text)? = error else { Issue.record("expected a refusal, got \(String(describing: error))"); return }
            #expect(text.contains("transfer_ticket does not apply: departments do not route a workflow ticket"))
        }
        #expect(try row(desk, ticket).departmentID == before.departmentID)
    }

    // MARK: who may

    @Test func viewersAndOutsidersGetTheUsualAnswers() throws {
        let desk = try desk()
        let refund = try desk.create("Refund approval", by: "dana", Self.refund)
        #expect(deskError { _ = try tickets(desk).resolve(.number(refund.number), actor: try desk.actor("viewer")) }
                == .forbidden("your role 'viewer' can read workflow tickets but not act on them"))
        // lee (IT) has no view of refunds: the same "not found" as for a missing ticket.
        #expect(deskError { _ = try tickets(desk).assign(.number(refund.number), to: .email("sam@acme.test"), actor: try desk.actor("lee")) }
                == .notFound("ticket #\(refund.number)"))
    }

    /// search_tickets says where a ticket is: the Support workflow's node is its status.
    @Test func searchResultsNameTheWorkflowAndItsNodes() throws {
        let desk = try desk()
        let refund = try desk.create("Refund approval", by: "dana", Self.refund)
        let admin = try desk.actor("admin")
        let page = try desk.database.withReader { db in
            try tickets(desk).search(TicketSearch(limit: 100), actor: admin, on: db)
        }
        let hit = try #require(page.tickets.first { $0.id == refund.ticketID })
        #expect(hit.workflowName == "Refund approval" && hit.workflowNodes == ["Finance review", "Support lead review"])
        let helpDesk = try #require(page.tickets.first { $0.id != refund.ticketID && $0.workflowName == "Support" })
        #expect(helpDesk.workflowNodes == [SupportWorkflow.nodeName(helpDesk.status)])
    }
}
