/// Where a change came from; MCP changes also carry the token and the AI client.
public enum ActivityVia: String, Sendable, CaseIterable {
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

    public init(id: Int64, tenantID: Int64, ticketID: Int64?, actorUserID: Int64?, via: ActivityVia, tokenID: String?,
                clientID: String?, action: String, beforeJSON: String?, afterJSON: String?, createdAt: Int64) {
        self.id = id
        self.tenantID = tenantID
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
