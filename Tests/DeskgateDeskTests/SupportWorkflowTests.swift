import Foundation
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateJSON
import DeskgateStore
import DeskgateModel

/// Help-desk tickets live in the built-in Support workflow: the workflow tools see them there,
/// and resolve / reopen through `ticket_handle` are the very help-desk commands.
@Suite("Support workflow")
struct SupportWorkflowTests {
    @Test func statusRulesComeFromTheOneTable() {
        #expect(SupportWorkflow.transitions(from: .open).map(\.key) == ["resolve"])
        #expect(SupportWorkflow.transitions(from: .new).map(\.key) == ["resolve"])
        #expect(SupportWorkflow.transitions(from: .closed).map(\.key) == ["reopen"])
        #expect(SupportWorkflow.allows(.reopen, from: .resolved) && !SupportWorkflow.allows(.reopen, from: .pending))
        #expect(!SupportWorkflow.allows(.assign, from: .open))
    }

    @Test func nodeNamesAreTheCapitalizedStatuses() {
        for status in TicketStatus.allCases {
            #expect(SupportWorkflow.nodeName(status) == status.rawValue.capitalized)
        }
    }

    @Test func detailShowsTheStatusAsTheNodeAndOffersTheTransitionsTheActorMayTake() throws {
        let f = try HelpDeskFixture()
        let workflows = WorkflowTicketService(database: f.database)
        let sam = try f.actor(f.sam)
        let open = try workflows.detail(.number(1), actor: sam)
        #expect(open.workflowName == "Support" && open.workflowID == 0 && open.version == 1)
        #expect(open.baseNodeKey == "open" && open.fields.isEmpty && open.adminActions.isEmpty)
        #expect(open.positions.map(\.nodeKey) == ["open"] && open.positions[0].awaitingPickup)
        #expect(open.actions.map(\.id) == ["resolve", "forward", "add_comment"])
        #expect(open.actions[0].type == .agree)

        let admin = try f.actor(f.admin)
        let resolved = try workflows.detail(.number(3), actor: admin)
        #expect(resolved.actions.map(\.id) == ["reopen", "add_comment"] && resolved.positions.isEmpty)
        // Same permission rules as the help-desk tools: a viewer reads but is offered nothing,
        // and a ticket outside the actor's reach is "not found".
        #expect(try workflows.detail(.number(1), actor: try f.actor(f.vera)).actions.isEmpty)
        #expect(deskError { _ = try workflows.detail(.number(1), actor: try f.actor(f.bill)) } == .notFound("ticket #1"))
        #expect(deskError { _ = try workflows.detail(.id(f.foreignTicket.id), actor: admin) } == .notFound("ticket id:\(f.foreignTicket.id)"))
    }

    @Test func handleRunsTheHelpDeskCommandWithItsDryRunAndActivity() throws {
        let f = try HelpDeskFixture()
        let workflows = WorkflowTicketService(database: f.database)
        let sam = try f.actor(f.sam, tokenID: 7)
        let resolve = FlowRequest(actionType: "agree", actionID: "resolve", comment: "Fuser replaced")
        let before = try f.snapshot()
        let predicted = try workflows.handle(.number(1), resolve, actor: sam, dryRun: true)
        #expect(try f.snapshot() == before)
        #expect(predicted.dryRun && predicted.actState == .finished && predicted.positions.isEmpty)
        let done = try workflows.handle(.number(1), resolve, actor: sam)
        #expect(!done.dryRun && done.actState == predicted.actState && done.positions == predicted.positions)
        #expect(done.summary == "Resolved ticket #1 (status open → resolved) with an internal note")
        let ticket = try #require(try f.read { try f.scope.tickets.byNumber(1, on: $0) })
        #expect(ticket.status == .resolved && ticket.actState == .finished)
        #expect(try f.activity(of: f.t1).map(\.action) == ["ticket.resolve"])
        #expect(try f.activity(of: f.t1).allSatisfy { $0.tokenID == "7" && $0.actorUserID == f.sam.id })

        // Resolve is no longer offered; the refusal lists what is.
        #expect(deskError { _ = try workflows.handle(.number(1), resolve, actor: sam) }
                == .forbidden("agree 'resolve' is not available to you on ticket #1 now; available: other:reopen, add_comment:add_comment"))
        let reopened = try workflows.handle(.number(1), FlowRequest(actionType: "other", actionID: "reopen"), actor: sam)
        #expect(reopened.actState == .onGoing && reopened.positions.map(\.nodeKey) == ["open"])

        let forward = FlowRequest(actionType: "forward", actionID: "forward", target: .email("sam@acme.test"))
        let forwarded = try workflows.handle(.number(1), forward, actor: sam)
        #expect(forwarded.positions.first?.assignees.map(\.email) == ["sam@acme.test"])
        #expect(try f.read { try f.scope.tickets.byNumber(1, on: $0) }?.assigneeID == f.sam.id)
    }

    @Test func handleRefusesWhatTheSupportWorkflowCannotDo() throws {
        let f = try HelpDeskFixture()
        let workflows = WorkflowTicketService(database: f.database)
        let before = try f.snapshot()
        var withFields = FlowRequest(actionType: "agree", actionID: "resolve")
        withFields.fields = JSONObject([("priority", "high")])
        #expect(deskError { _ = try workflows.handle(.number(1), withFields, actor: try f.actor(f.sam)) }
                == .invalid(field: "fields", reason: "the Support workflow has no form fields; leave fields empty"))
        #expect(deskError { _ = try workflows.handle(.number(1), FlowRequest(actionType: "approve", actionID: "resolve"),
                                                     actor: try f.actor(f.sam)) } != nil)
        // A viewer is told which permission is missing, as by resolve_ticket.
        let viewer = deskError { _ = try workflows.handle(.number(1), FlowRequest(actionType: "agree", actionID: "resolve"),
                                                          actor: try f.actor(f.vera)) }
        guard case .forbidden(let why)? = viewer else { Issue.record("viewer was not refused: \(String(describing: viewer))"); return }
        #expect(why.contains("viewer"))
        #expect(try f.snapshot() == before)
    }
}

extension SupportWorkflowTests {
    /// The workflow tools reach help-desk tickets through the Support workflow: the MCP data
    /// limit hides them there too, with the answer of a missing ticket, and refuses writes.
    @Test func theDataLimitAppliesThroughTheSupportWorkflow() throws {
        let f = try HelpDeskFixture()
        let workflows = WorkflowTicketService(database: f.database)
        let limited = try f.actor(f.admin).limited(by: MCPDataLimit(departmentIDs: [f.support.id]))
        #expect(try workflows.detail(.number(1), actor: limited).workflowName == "Support")
        #expect(deskError { _ = try workflows.detail(.number(2), actor: limited) } == .notFound("ticket #2"))
        #expect(deskError { _ = try workflows.handle(.number(2), FlowRequest(actionType: "agree", actionID: "resolve"),
                                                     actor: limited) } == .notFound("ticket #2"))
        let readOnly = try f.actor(f.admin).limited(by: MCPDataLimit(allowsWrites: false))
        let before = try f.snapshot()
        guard case .forbidden? = deskError({ _ = try workflows.handle(.number(1), FlowRequest(actionType: "agree", actionID: "resolve"),
                                                                      actor: readOnly) }) else {
            Issue.record("a write under a read-only data limit was not refused"); return
        }
        #expect(try f.snapshot() == before)
    }
}
