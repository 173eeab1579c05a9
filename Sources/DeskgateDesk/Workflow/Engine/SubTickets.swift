import DeskgateSQL
import DeskgateStore
public import DeskgateModel

/// A ticket named from another one (its parent or a child), as `ticket_detail` shows it.
public struct TicketLink: Sendable, Equatable {
    public let id: Int64
    public let number: Int64
    public let subject: String
    public let actState: ActState
    /// Who wrote the subject (a parent may be a help-desk ticket a customer opened).
    public let subjectAuthorKind: AuthorKind

    init(_ ticket: Ticket) {
        id = ticket.id
        number = ticket.number
        subject = ticket.subject
        actState = ticket.actState
        subjectAuthorKind = AuthorKind.ofSubject(creatorID: ticket.creatorID, requesterContactID: ticket.requesterContactID)
    }
}

/// Sub-tickets: a ticket may be opened as the child of another (`create_ticket`'s
/// `parent_ticket`, a transition's `open_child`). The parent must be a ticket the creator may
/// see in their own tenant; the child is seen under the same rules as any ticket, and both
/// tickets' history records the opening under the one who did it.
enum SubTickets {
    /// The parent `ref` names for `actor`: "not found" (never "forbidden") when it is missing,
    /// in another tenant or out of sight, like any ticket reference.
    static func parent(_ ref: TicketRef, field: String, actor: DeskActor, on db: any SQLConnection) throws -> Ticket {
        guard let ticket = try ref.ticket(in: actor.tenant, on: db), try canSee(ticket, actor: actor, on: db) else {
            throw DeskError.invalid(field: field, reason: "\(DeskError.notFound(ref.description)): name a ticket you can see")
        }
        return ticket
    }

    /// Whether `actor` may see `ticket` by the rules `ticket_detail` applies.
    static func canSee(_ ticket: Ticket, actor: DeskActor, on db: any SQLConnection) throws -> Bool {
        guard actor.user.isActive else { return false }
        if let limit = actor.activeLimit, !(try limit.admits(ticket, in: actor.tenant, on: db)) { return false }
        guard ticket.workflowVersionID != nil else { return actor.permissions.canSee(ticket) }
        let flow = try FlowTicket.load(ticket, scope: actor.tenant, on: db)
        return try FlowAccess.load(flow, actor: actor, on: db).canView(flow)
    }

    /// The parent and the children of `ticket` that `actor` may see (at most 100 children).
    static func links(of ticket: Ticket, actor: DeskActor, on db: any SQLConnection) throws -> (parent: TicketLink?, children: [TicketLink]) {
        let parent = try ticket.parentTicketID.flatMap { try actor.tenant.tickets.byID($0, on: db) }
        let visibleParent = try parent.flatMap { try canSee($0, actor: actor, on: db) ? TicketLink($0) : nil }
        let children = try actor.tenant.tickets.children(of: ticket.id, on: db).filter { try canSee($0, actor: actor, on: db) }
        return (visibleParent, children.map(TicketLink.init))
    }

    /// The parent's history row for a child opened from it, under `actor`.
    static func recordChild(_ child: Ticket, of parent: Ticket, actor: DeskActor, in tx: WriteTransaction) throws {
        _ = try actor.tenant.activity.append(NewActivity(
            ticketID: parent.id, actorUserID: actor.user.id, via: actor.via, tokenID: actor.tokenID.map(String.init),
            clientID: actor.clientID, action: "ticket.open_child",
            afterJSON: TicketService.json(["child": "#\(child.number)", "subject": child.subject])), in: tx)
    }
}
