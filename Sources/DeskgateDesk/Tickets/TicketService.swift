import DeskgateSQL
public import DeskgateStore
import DeskgateModel

/// The help-desk query and command service. Every edge (both MCP tool families, the CLI,
/// the web pages) calls this and only maps arguments and results, so validation, permission
/// checks and messages live here once.
///
/// Queries read through the connection the caller passes (an event loop's reader or a pooled
/// one); commands go through the single writer (`Database.write`) and log an activity row in
/// the same transaction.
public struct TicketService: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// The ticket `ref` names if the actor may see it. Missing, of another tenant, or not
    /// visible all fail with the same `notFound(ref)`, so the answer reveals nothing.
    func visibleTicket(_ ref: TicketRef, actor: DeskActor, on db: any SQLConnection) throws -> Ticket {
        try actor.permissions.requireActive()
        let ticket = try ref.ticket(in: actor.tenant, on: db)
        guard let ticket, actor.permissions.canSee(ticket) else { throw DeskError.notFound(ref.description) }
        try actor.requireWithinLimit(ticket, ref: ref.description, on: db)
        return ticket
    }
}
