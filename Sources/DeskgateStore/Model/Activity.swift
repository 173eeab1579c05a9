/// Where a change came from; MCP changes also carry the token and the AI client.
public enum ActivityVia: String, Sendable, CaseIterable, SQLBindable {
    case mcp, web, cli, system
}

public struct ActivityEntry: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public let ticketID: Int64?
    public let actorUserID: Int64?
    public let via: ActivityVia
    public let tokenID: String?
    public let clientID: String?
    public let action: String
    public let beforeJSON: String?
    public let afterJSON: String?
    public let createdAt: Int64

    static let columns = "id, tenant_id, ticket_id, actor_user_id, via, token_id, client_id, action, before_json, after_json, created_at"

    init(row: Statement) throws {
        id = row.int64(0)
        tenantID = row.int64(1)
        ticketID = row.optionalInt64(2)
        actorUserID = row.optionalInt64(3)
        via = try row.value(ActivityVia.self, 4)
        tokenID = row.optionalString(5)
        clientID = row.optionalString(6)
        action = row.string(7)
        beforeJSON = row.optionalString(8)
        afterJSON = row.optionalString(9)
        createdAt = row.int64(10)
    }
}

public struct NewActivity: Sendable {
    public var ticketID: Int64?
    public var actorUserID: Int64?
    public var via: ActivityVia
    public var tokenID: String?
    public var clientID: String?
    public var action: String
    public var beforeJSON: String?
    public var afterJSON: String?
    public var createdAt: Int64?

    public init(ticketID: Int64?, actorUserID: Int64?, via: ActivityVia, tokenID: String? = nil,
                clientID: String? = nil, action: String, beforeJSON: String? = nil,
                afterJSON: String? = nil, createdAt: Int64? = nil) {
        self.ticketID = ticketID
        self.actorUserID = actorUserID
        self.via = via
        self.tokenID = tokenID
        self.clientID = clientID
        self.action = action
        self.beforeJSON = beforeJSON
        self.afterJSON = afterJSON
        self.createdAt = createdAt
    }
}
