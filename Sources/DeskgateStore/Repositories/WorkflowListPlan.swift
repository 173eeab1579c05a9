import DeskgateSQL
import DeskgateModel

/// `ticket_list`'s access paths on SQLite, pinned so that planner statistics cannot pick
/// another: missing ones, or stale ones after a bulk load (issue 16: one call ran 5.5 minutes),
/// chose plans that read a whole tenant per row (`PlanStabilityTests`, docs/storage.md).
/// - Relation categories (duty, worked, relation) walk the caller's rows of their own index in
///   listing order (`ticket_participants` carries the ticket's creation time) and read each
///   ticket by rowid: the cost follows the caller's relations, never the tenant's size.
/// - The others walk `workflow_tickets_by_created` (or `…_by_creator` with a creator) in listing
///   order, and stop at LIMIT.
/// - A rare title search (`TitleSubstring.drivingLimit(_:)` or fewer matches) drives instead: its
///   matches are looked up by key (NOT INDEXED leaves SQLite only the key) and sorted.
/// A filter by ticket numbers or parent, which unique or narrow indexes serve better than any
/// walk, leaves the choice to the planner (rare calls); PostgreSQL always chooses itself.
struct WorkflowListPlan {
    let pinned: Bool
    /// The partial index of the category's relation rows, (tenant, user, created, ticket, …).
    let relationIndex: String?
    let byCreator: Bool
    private let postgres: Bool
    /// Set once the title search is known to be rare.
    var matchesDrive = false

    init(_ filter: WorkflowTicketFilter, dialect: SQLDialect) {
        pinned = dialect == .sqlite && filter.ticketNumbers.isEmpty && filter.parentTicketID == nil
        postgres = dialect == .postgres
        relationIndex = switch filter.category {
        case .duty: "workflow_participants_as_assignee"
        case .worked: "workflow_participants_as_processor"
        case .relation: "workflow_participants"
        case .owner, .view, .intervene, .all: nil
        }
        byCreator = filter.category == .owner || filter.creatorID != nil
    }

    /// The listing's FROM clause; `join` joins relation rows to tickets where nothing is pinned.
    func from(_ join: String) -> String {
        guard pinned else {
            return relationIndex == nil ? "tickets t" : "ticket_participants p \(join) tickets t ON t.tenant_id = p.tenant_id AND t.id = p.ticket_id"
        }
        guard relationIndex != nil else {
            return "tickets t " + (matchesDrive ? "NOT INDEXED" : byCreator ? "INDEXED BY workflow_tickets_by_creator" : "INDEXED BY workflow_tickets_by_created")
        }
        // CROSS JOIN keeps the relation rows outside; the ticket is then only ever read by rowid.
        return "\(participants) CROSS JOIN tickets t NOT INDEXED ON t.tenant_id = p.tenant_id AND t.id = p.ticket_id"
    }

    /// The relation rows alone (their count needs no ticket).
    var participants: String {
        guard pinned, let relationIndex else { return "ticket_participants p" }
        // The primary key (tenant, ticket, user) takes the matches (NOT INDEXED does not bind a WITHOUT ROWID table).
        return "ticket_participants p INDEXED BY " + (matchesDrive ? "sqlite_autoindex_ticket_participants_1" : relationIndex)
    }

    /// The relation rows' user column as the listing's conditions name it. Where a rare title's
    /// matches drive on PostgreSQL, its generic plan still walked the caller's relation index
    /// and tested each row against them (10 ms through 60,000 rows for 4 matches): `+ 0` leaves
    /// it the primary key (tenant, ticket, user), which looks the matches up (0.6 ms). SQLite
    /// pins that key by name (`participants`).
    var participantUser: String { postgres && matchesDrive && relationIndex != nil ? "(p.user_id + 0)" : "p.user_id" }

    /// The page's order: a pinned relation listing is in its index's order (the same as the
    /// tickets': `ticket_created_at` is the ticket's creation time, and ties go by ticket id).
    func order(_ direction: String) -> String {
        pinned && relationIndex != nil
            ? "p.ticket_created_at \(direction), p.ticket_id \(direction)" : "t.created_at \(direction), t.id \(direction)"
    }
}
