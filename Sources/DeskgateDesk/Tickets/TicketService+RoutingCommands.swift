import DeskgateModel

/// `assign_ticket` / `transfer_ticket`: who works on a ticket and which department owns it.
extension TicketService {
    /// Assigns to an active agent or admin; nil unassigns.
    /// On a workflow ticket it is that workflow's forward (`WorkflowEquivalent`).
    public func assign(_ ref: TicketRef, to selector: AgentSelector?, actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        if try inStoredWorkflow(ref, actor: actor) {
            return try WorkflowTicketService(database: database).helpDesk(.assign(selector), ref, actor: actor, dryRun: dryRun)
        }
        return try change(ref, action: .assign, actor: actor, dryRun: dryRun) { tx, actor, ticket in
            let scope = actor.tenant
            let db = tx.connection
            let target = try selector.map { try Self.assignableAgent($0, scope: scope, on: db) }
            let current = try ticket.assigneeID.flatMap { try scope.users.byID($0, on: db) }
            guard target?.id != ticket.assigneeID else {
                return .unchanged(ticket, state: ["assignee": Self.label(current)],
                                  target == nil ? "Ticket #\(ticket.number) is already unassigned"
                                  : "Ticket #\(ticket.number) is already assigned to \(Self.label(target))")
            }
            try scope.tickets.setAssignee(target?.id, ticketID: ticket.id, in: tx)
            let what = target == nil
                ? "ticket #\(ticket.number) (was \(Self.label(current)))"
                : "ticket #\(ticket.number) to \(Self.label(target)) (was \(Self.label(current)))"
            let verbs = target == nil ? ("Unassigned", "unassign") : ("Assigned", "assign")
            return ChangeOutcome(ticket: ticket, before: ["assignee": Self.label(current)], after: ["assignee": Self.label(target)],
                                 done: "\(verbs.0) \(what)", planned: "\(verbs.1) \(what)")
        }
    }

    /// Moves the ticket to another department. The assignee is cleared unless `keepAssignee`,
    /// since the new department usually picks its own.
    public func transfer(_ ref: TicketRef, toDepartment selector: DepartmentSelector, keepAssignee: Bool = false,
                         actor: DeskActor, dryRun: Bool = false) throws -> TicketChange {
        if try inStoredWorkflow(ref, actor: actor) {
            return try WorkflowTicketService(database: database).helpDesk(.transfer(selector), ref, actor: actor, dryRun: dryRun)
        }
        return try change(ref, action: .transfer, actor: actor, dryRun: dryRun) { tx, actor, ticket in
            let scope = actor.tenant
            let db = tx.connection
            let target = try Self.department(selector, scope: scope, on: db)
            let current = try ticket.departmentID.flatMap { try scope.departments.byID($0, on: db) }
            let assignee = try ticket.assigneeID.flatMap { try scope.users.byID($0, on: db) }
            guard target.id != ticket.departmentID else {
                return .unchanged(ticket, state: ["department": target.name, "assignee": Self.label(assignee)],
                                  "Ticket #\(ticket.number) is already in department \(target.name)")
            }
            let newAssignee = keepAssignee ? assignee : nil
            try scope.tickets.setDepartment(target.id, assigneeID: newAssignee?.id, ticketID: ticket.id, in: tx)
            let assigneeNote = assignee != nil && !keepAssignee ? "; assignee \(Self.label(assignee)) cleared" : ""
            let what = "ticket #\(ticket.number) to department \(target.name) (from \(current?.name ?? "no department")\(assigneeNote))"
            return ChangeOutcome(ticket: ticket,
                                 before: ["department": current?.name ?? "none", "assignee": Self.label(assignee)],
                                 after: ["department": target.name, "assignee": Self.label(newAssignee)],
                                 done: "Transferred " + what, planned: "transfer " + what)
        }
    }
}
