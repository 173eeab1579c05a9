public import DeskgateSQL
import DeskgateStore
public import DeskgateModel
import DeskgateSystem

/// A workflow ticket in a list: enough to pick one and call ticket_detail.
public struct WorkflowTicketSummary: Sendable, Equatable {
    public let ticket: Ticket
    public let workflowID: Int64
    public let workflowName: String
    public let version: Int
    /// Nodes it waits at (none once it ended), as (id, key, name).
    public let nodes: [(id: Int64, key: String, name: String)]
    public let creator: PersonRef?

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.ticket == rhs.ticket && lhs.workflowID == rhs.workflowID && lhs.nodes.map(\.id) == rhs.nodes.map(\.id)
    }
}

public struct WorkflowTicketPage: Sendable, Equatable {
    public let tickets: [WorkflowTicketSummary]
    public let window: PageWindow
    /// The creation-time window applied, in Unix milliseconds (the default one when none was given).
    public let createdFrom: Int64?
    public let createdTo: Int64?
    /// `window.total` counts only the matches of the rows a dense title search read: at least that many match.
    public var totalIsLowerBound = false
    /// The position of the first row in the whole listing (a cursor may start between pages).
    public var start = 0
}

/// `ticket_list`: workflow tickets by how the caller relates to them, with Loonflow's filters.
public struct WorkflowTicketList: Sendable {
    /// Without either date, lists cover the last three years up to one hour ahead (Loonflow's
    /// default window, which keeps "all" bounded on large tenants).
    public static let defaultLookbackMilliseconds: Int64 = 3 * 365 * 86_400_000
    public static let defaultLookaheadMilliseconds: Int64 = 3_600_000

    public init() {}

    /// `start`: the position to list from instead of `page` (a cursor `ticket_list` handed out
    /// when a size budget cut a page short); the window then names the page holding that row.
    public func page(_ filter: WorkflowTicketFilter, page: Int, perPage: Int, start: Int? = nil, actor: DeskActor,
                     on db: any SQLConnection, now: Int64? = nil) throws -> WorkflowTicketPage {
        try actor.permissions.requireActive()
        let now = now ?? WallClock.milliseconds()
        if filter.category == .all, actor.user.role != .admin {
            throw DeskError.forbidden("category 'all' is for tenant admins; use duty, owner, relation, view, worked or intervene")
        }
        var filter = filter
        filter.userID = actor.user.id
        filter.departmentIDs = actor.departmentIDs
        filter.isTenantAdmin = actor.user.role == .admin
        if let limit = actor.activeLimit {
            filter.limitDepartmentIDs = limit.departmentIDs.sorted()
            filter.limitTagIDs = limit.tagIDs.sorted()
        }
        if filter.createdFrom == nil, filter.createdTo == nil {
            filter.createdFrom = now - Self.defaultLookbackMilliseconds
            filter.createdTo = now + Self.defaultLookaheadMilliseconds
        }
        let repo = actor.tenant.ticketFlow
        var result = try repo.list(filter, limit: perPage, offset: start ?? (max(1, page) - 1) * perPage, on: db)
        var window = PageWindow(requested: start.map { $0 / perPage + 1 } ?? page, perPage: perPage, total: result.total)
        if start == nil, window.served != page {   // past the end: serve the last page instead
            result = try repo.list(filter, limit: perPage, offset: window.offset, on: db)
            window = PageWindow(requested: page, perPage: perPage, total: result.total)
        }
        var graphs: [Int64: FlowGraph] = [:]
        // The page's positions and creators in one statement each, not two per ticket.
        let positions = try repo.positions(ticketIDs: result.tickets.map(\.id), on: db)
        let creators = try FlowViewBuilder.people(byID: Set(result.tickets.compactMap(\.creatorID)), scope: actor.tenant, on: db)
        let summaries = try result.tickets.map { ticket -> WorkflowTicketSummary in
            let versionID = ticket.workflowVersionID!
            if graphs[versionID] == nil, let rows = try repo.graph(versionID: versionID, on: db) {
                graphs[versionID] = try FlowGraph(rows: rows)
            }
            let graph = graphs[versionID]
            let nodes = (positions[ticket.id] ?? []).compactMap { position in
                graph?.node(position.nodeID).map { (id: $0.id, key: $0.key, name: $0.name) }
            }
            return WorkflowTicketSummary(
                ticket: ticket, workflowID: graph?.workflow.id ?? 0, workflowName: graph?.workflow.name ?? "",
                version: graph?.version.version ?? 0, nodes: nodes,
                creator: ticket.creatorID.flatMap { creators[$0] })
        }
        var listed = WorkflowTicketPage(tickets: summaries, window: window, createdFrom: filter.createdFrom, createdTo: filter.createdTo)
        listed.totalIsLowerBound = result.totalIsLowerBound
        listed.start = start ?? window.offset
        return listed
    }
}
