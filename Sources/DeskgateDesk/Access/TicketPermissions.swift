public import DeskgateModel

/// What an actor may do with tickets, from the role rules:
/// - admin: every ticket of the tenant, every action;
/// - agent: tickets of their departments plus tickets assigned to or created by them; may change those;
/// - viewer: tickets of their departments, read only;
/// - an inactive user: nothing.
///
/// A ticket the actor may not see is reported exactly like a missing one (no existence oracle).
public struct TicketPermissions: Sendable {
    public let actor: DeskActor

    public init(actor: DeskActor) { self.actor = actor }

    /// Every operation starts here: a deactivated account can neither read nor change.
    public func requireActive() throws {
        guard actor.user.isActive else {
            throw DeskError.forbidden("your account (\(actor.user.email)) is deactivated; ask a tenant admin to reactivate it")
        }
    }

    public func canSee(_ ticket: Ticket) -> Bool {
        guard actor.user.isActive, ticket.tenantID == actor.tenant.tenantID else { return false }
        switch actor.user.role {
        case .admin: return true
        case .agent: return inDepartments(ticket) || isParticipant(ticket)
        case .viewer: return inDepartments(ticket)
        }
    }

    /// Whether the actor may change a ticket they can see.
    public func canChange(_ ticket: Ticket) -> Bool {
        canSee(ticket) && actor.user.role != .viewer
    }

    /// The visibility rule as a search filter, so the database drops invisible tickets before LIMIT.
    public var visibility: TicketVisibility {
        switch actor.user.role {
        case .admin: .all
        case .agent: .departmentsOrParticipant(actor.departmentIDs, userID: actor.user.id)
        case .viewer: .departments(actor.departmentIDs)
        }
    }

    /// Throws unless the actor may change this (visible) ticket; the message names what is missing.
    func requireChange(_ ticket: Ticket, action: TicketAction) throws {
        guard !canChange(ticket) else { return }
        throw DeskError.forbidden(
            "your role '\(actor.user.role.rawValue)' can read tickets but not change them "
                + "(\(action.rawValue) needs role agent or admin)")
    }

    /// Creating a ticket needs write access; the creator can always see what they filed.
    func requireCreate() throws {
        guard actor.user.role == .viewer else { return }
        throw DeskError.forbidden("your role 'viewer' can read tickets but not create them (create needs role agent or admin)")
    }

    /// The actions the actor may take on the ticket in its current state, in a stable order.
    func allowedActions(on ticket: Ticket, hasTags: Bool) -> [TicketAction] {
        guard canChange(ticket) else { return [] }
        return TicketAction.allCases.filter { action in
            switch action {
            case .resolve, .reopen: SupportWorkflow.allows(action, from: ticket.status)
            case .removeTags: hasTags
            case .addTags, .assign, .transfer, .addNote: true
            case .create: false
            }
        }
    }

    private func inDepartments(_ ticket: Ticket) -> Bool {
        ticket.departmentID.map(actor.departmentIDs.contains) ?? false
    }

    private func isParticipant(_ ticket: Ticket) -> Bool {
        ticket.assigneeID == actor.user.id || ticket.creatorID == actor.user.id
    }
}
