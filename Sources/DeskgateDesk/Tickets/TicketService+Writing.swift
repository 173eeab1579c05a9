import DeskgateSQL
import DeskgateJSON
import DeskgateStore
import DeskgateModel
import DeskgateSystem

/// What a command worked out inside its transaction: the changed fields and the sentence
/// describing the change both ways ("Resolved ticket #5 …" / "resolve ticket #5 …").
struct ChangeOutcome {
    let ticket: Ticket
    let before: [String: String]
    let after: [String: String]
    let done: String
    let planned: String
}

/// Thrown out of a dry run's write job once the change is computed, so the writer rolls the
/// job back: a dry run runs exactly the code of the real call, checks and writes included.
private struct DryRunRollback: Error {
    let change: TicketChange
}

extension TicketService {
    /// A change to an existing ticket: locate it as the actor sees it now, check the actor may
    /// change it, run `body`, log the activity, and keep or roll back everything together.
    func change(_ ref: TicketRef, action: TicketAction, actor: DeskActor, dryRun: Bool,
                _ body: @escaping @Sendable (WriteTransaction, DeskActor, Ticket) throws -> ChangeOutcome) throws -> TicketChange {
        try perform(action: action, actor: actor, dryRun: dryRun) { tx, actor in
            let ticket = try visibleTicket(ref, actor: actor, on: tx.connection)
            try actor.permissions.requireChange(ticket, action: action)
            return try body(tx, actor, ticket)
        }
    }

    func perform(action: TicketAction, actor: DeskActor, dryRun: Bool,
                 _ body: @escaping @Sendable (WriteTransaction, DeskActor) throws -> ChangeOutcome) throws -> TicketChange {
        do {
            return try database.write { tx in
                // Re-read inside the transaction: a deactivation or role change committed since
                // the actor was loaded wins.
                let actor = try actor.reloaded(on: tx.connection)
                try actor.permissions.requireActive()
                try actor.activeLimit?.requireWrites()
                let outcome = try body(tx, actor)
                // Where the ticket ends up must still be inside the MCP data limit (a transfer,
                // the last limited tag removed, a new ticket elsewhere); throwing rolls it all back.
                if let limit = actor.activeLimit, limit.narrowsTickets {
                    let now = try actor.tenant.tickets.byID(outcome.ticket.id, on: tx.connection) ?? outcome.ticket
                    guard try limit.admits(now, in: actor.tenant, on: tx.connection) else {
                        throw MCPDataLimit.outside(action == .create ? "the new ticket" : "ticket #\(now.number) after this change")
                    }
                }
                var recorded = outcome.after
                if !dryRun, let approvalID = actor.approvalID {
                    recorded["approved_by"] = try ApprovalUse.consume(approvalID, actor: actor, in: tx)
                }
                _ = try actor.tenant.activity.append(NewActivity(
                    ticketID: outcome.ticket.id, actorUserID: actor.user.id, via: actor.via,
                    tokenID: actor.tokenID.map(String.init), clientID: actor.clientID, action: "ticket.\(action.rawValue)",
                    beforeJSON: Self.json(outcome.before), afterJSON: Self.json(recorded)), in: tx)
                let change = TicketChange(
                    ticketID: outcome.ticket.id, ticketNumber: outcome.ticket.number, action: action.rawValue,
                    before: outcome.before, after: outcome.after, applied: !dryRun,
                    summary: dryRun ? "Would " + outcome.planned : outcome.done)
                if dryRun { throw DryRunRollback(change: change) }
                return change
            }
        } catch let rollback as DryRunRollback {
            return rollback.change
        }
    }

    /// A flat JSON object with sorted keys, for the activity log.
    static func json(_ fields: [String: String]) -> String {
        JSONValue.object(JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })).text
    }

    /// "Dana Scully <dana@acme.test>", or "unassigned".
    static func label(_ user: User?) -> String {
        user.map { "\($0.name) <\($0.email)>" } ?? "unassigned"
    }

    /// The user a selector names, if they may take tickets.
    static func assignableAgent(_ selector: AgentSelector, scope: TenantScope, on db: any SQLConnection) throws -> User {
        let user = switch selector {
        case .id(let id): try scope.users.byID(id, on: db)
        case .email(let email): try scope.users.byEmail(email, on: db)
        }
        guard let user else { throw try DirectoryChoices.unknownAgent(selector.description, field: "assignee", scope: scope, on: db) }
        guard user.isActive else {
            throw DeskError.invalid(field: "assignee", reason: "\(label(user)) is deactivated and cannot be assigned tickets")
        }
        guard user.role != .viewer else {
            throw DeskError.invalid(field: "assignee",
                                    reason: "\(label(user)) is a viewer and cannot be assigned tickets; choose an agent or admin")
        }
        return user
    }

    static func department(_ selector: DepartmentSelector, scope: TenantScope, on db: any SQLConnection) throws -> Department {
        let department = switch selector {
        case .id(let id): try scope.departments.byID(id, on: db)
        case .name(let name): try scope.departments.byName(name, on: db)
        }
        guard let department else {
            throw try DirectoryChoices.unknownDepartment(selector.description, field: "department", scope: scope, on: db)
        }
        return department
    }
}
