public import DeskgateModel
public import DeskgateSQL
import DeskgateIdentity
import DeskgateStore

/// One change in a ticket's history as people read it: who made it, through which door (and
/// with which token or app), what it was, and the fields before and after.
public struct TicketActivityEntry: Sendable, Equatable {
    public let id: Int64
    public let action: String
    /// The agent who made the change; nil for Deskgate's own (workflow timers, the system).
    public let actor: PersonRef?
    public let via: ActivityVia
    /// The personal access token used, masked as people see it (dgpat_…abcd).
    public let token: String?
    /// The authorized app (OAuth client) that acted for the agent, by its name.
    public let app: String?
    public let before: [String: String]
    public let after: [String: String]
    public let createdAt: Int64
}

extension TicketActivityEntry {
    /// Who made the change, as people name them (Deskgate for its own).
    public var who: String { actor?.name ?? "Deskgate" }

    /// Through what, as people say it: "via Claude Desktop", "via MCP with dgpat_…abcd", "via web".
    public var door: String {
        app.map { "via \($0)" } ?? token.map { "via MCP with \($0)" } ?? "via \(via.rawValue)"
    }

    /// "field: before → after" (or "field: after" for a field that had no value), by field name.
    public var changes: [String] {
        after.keys.sorted().map { key in before[key].map { "\(key): \($0) → \(after[key]!)" } ?? "\(key): \(after[key]!)" }
    }
}

/// A page of a ticket's history, oldest first; pass `nextCursor` back for more (nil: the end).
public struct TicketActivityPage: Sendable, Equatable {
    public let ticketNumber: Int64
    /// The ticket's internal id, which cursors are bound to (`TicketService.activityCursor`).
    public let ticketID: Int64
    public let entries: [TicketActivityEntry]
    public let nextCursor: String?
}

extension TicketService {
    public static let activityPageLimits = 1...100

    /// The history of a ticket the actor may see (the same rule as its messages).
    public func activity(_ ref: TicketRef, cursor: String? = nil, limit: Int = 25, actor: DeskActor,
                         on db: any SQLConnection) throws -> TicketActivityPage {
        guard Self.activityPageLimits.contains(limit) else {
            throw DeskError.invalid(field: "limit", reason: "must be between 1 and 100 (default 25)")
        }
        let ticket = try visibleTicket(ref, actor: actor, on: db)
        let cursors = TicketRowCursor(kind: "a1", rows: "activity", first: "change")
        let after = try cursors.after(cursor, ticketID: ticket.id)
        let rows = try actor.tenant.activity.list(ticketID: ticket.id, after: after, limit: limit + 1, on: db).items
        let page = Array(rows.prefix(limit))
        let next = cursors.next(ticketID: ticket.id, lastID: page.last?.id, more: rows.count > limit)
        return TicketActivityPage(ticketNumber: ticket.number, ticketID: ticket.id, entries: try TicketHistory(scope: actor.tenant).entries(page, on: db),
                                  nextCursor: next)
    }
}

/// Activity rows as people read them; names, tokens and apps looked up once per call, not per row.
struct TicketHistory {
    let scope: TenantScope

    /// The newest `limit` changes of a ticket the caller has already been allowed to see, oldest first.
    func latest(ticketID: Int64, limit: Int, on db: any SQLConnection) throws -> [TicketActivityEntry] {
        try entries(try scope.activity.latest(ticketID: ticketID, limit: limit, on: db), on: db)
    }

    func entries(_ page: [ActivityEntry], on db: any SQLConnection) throws -> [TicketActivityEntry] {
        var people: [Int64: PersonRef?] = [:]
        var tokens: [Int64: String?] = [:]
        var apps: [String: String] = [:]
        return try page.map { row -> TicketActivityEntry in
            var person: PersonRef?
            if let id = row.actorUserID {
                if people[id] == nil { people[id] = try scope.users.byID(id, on: db).map { PersonRef(id: $0.id, name: $0.name, email: $0.email) } }
                person = people[id] ?? nil
            }
            var app: String?
            var token: String?
            if let clientID = row.clientID {
                if apps[clientID] == nil {
                    apps[clientID] = try scope.oauthClients.byClientID(clientID, on: db).map { $0.name.isEmpty ? $0.clientID : $0.name } ?? clientID
                }
                app = apps[clientID]
            } else if let text = row.tokenID, let id = Int64(text) {
                if tokens[id] == nil { tokens[id] = try scope.personalAccessTokens.byID(id, on: db)?.masked }
                token = tokens[id] ?? nil
            }
            return TicketActivityEntry(id: row.id, action: row.action, actor: person, via: row.via, token: token, app: app,
                                       before: SecurityLog.detail(row.beforeJSON ?? "{}"), after: SecurityLog.detail(row.afterJSON ?? "{}"),
                                       createdAt: row.createdAt)
        }
    }
}
