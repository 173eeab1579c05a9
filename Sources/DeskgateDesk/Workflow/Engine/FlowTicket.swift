import DeskgateSQL
import DeskgateStore
import DeskgateModel

/// A workflow ticket with everything the engine needs: its graph, where it waits, its form.
struct FlowTicket: Sendable {
    let ticket: Ticket
    let graph: FlowGraph
    var positions: [FlowPosition]
    /// Form values by field key.
    var values: [String: FieldValue]

    static func load(_ ticket: Ticket, scope: TenantScope, on db: any SQLConnection) throws -> FlowTicket {
        guard let versionID = ticket.workflowVersionID else {
            throw DeskError.conflict("ticket #\(ticket.number) is not in a workflow; use the help-desk tools for it")
        }
        guard let rows = try scope.ticketFlow.graph(versionID: versionID, on: db) else {
            throw DeskError.notFound("workflow version #\(versionID)")
        }
        let graph = try FlowGraph(rows: rows)
        let stored = try scope.ticketFlow.fieldValues(ticketID: ticket.id, on: db)
        var values: [String: FieldValue] = [:]
        for field in graph.fields {
            if let text = stored[field.id], let value = FlowForm.read(text, for: field) { values[field.key] = value }
        }
        return FlowTicket(ticket: ticket, graph: graph, positions: try scope.ticketFlow.positions(ticketID: ticket.id, on: db),
                          values: values)
    }

    /// Still moving: not finished, rejected, withdrawn or closed.
    var isOpen: Bool { ticket.actState == .onGoing || ticket.actState == .inDraft }

    func position(at nodeID: Int64) -> FlowPosition? { positions.first { $0.nodeID == nodeID } }
}

/// What one user may do on one workflow ticket, from the role rules, the workflow's
/// permissions and the ticket's positions.
struct FlowAccess: Sendable {
    let actor: DeskActor
    let workflowPermissions: Set<String>
    let relations: Set<TicketRelation>

    static func load(_ flow: FlowTicket, actor: DeskActor, on db: any SQLConnection) throws -> FlowAccess {
        let scope = actor.tenant
        return FlowAccess(actor: actor,
                          workflowPermissions: try scope.ticketFlow.permissions(workflowID: flow.graph.workflow.id, userID: actor.user.id,
                                                                                departmentIDs: actor.departmentIDs, on: db),
                          relations: try scope.ticketFlow.relations(userID: actor.user.id, ticketID: flow.ticket.id, on: db))
    }

    var isActive: Bool { actor.user.isActive }
    var isTenantAdmin: Bool { actor.user.role == .admin }
    /// Viewers read; they never act, whatever the workflow grants.
    var mayAct: Bool { isActive && actor.user.role != .viewer }

    func canView(_ flow: FlowTicket) -> Bool {
        guard isActive else { return false }
        return actor.permissions.canSee(flow.ticket) || !workflowPermissions.isEmpty || !relations.isEmpty
            || flow.positions.contains { $0.assigneeIDs.contains(actor.user.id) || $0.consultantID == actor.user.id }
    }

    var isWorkflowAdmin: Bool { mayAct && (isTenantAdmin || workflowPermissions.contains("admin")) }
}
