public import DeskgateSQL
public import DeskgateStore
public import DeskgateModel

/// "What did this token/app do": the ticket changes made with one personal access token, or
/// by one authorized app (an OAuth client acting for the user who approved it), from the
/// activity history, newest first. Activity rows carry the token id and the client id of
/// every MCP change (`DeskActor`), so this is one indexed walk of the user's activity.
public struct CredentialActivity: Sendable {
    public enum Credential: Sendable, Equatable {
        case token(id: Int64)
        case app(grantID: Int64)
    }

    public struct Entry: Sendable, Equatable {
        public let id: Int64
        public let ticketNumber: Int64?
        public let ticketSubject: String?
        public let action: String
        public let before: [String: String]
        public let after: [String: String]
        public let createdAt: Int64
    }

    public struct Page: Sendable, Equatable {
        /// What the credential is, as the page titles it ("dgpat_…abcd", "Claude (client id)").
        public let title: String
        public let owner: PersonRef
        public let entries: [Entry]
        public let nextBefore: Int64?
    }

    let database: Database
    let scope: TenantScope

    public init(database: Database, scope: TenantScope) {
        self.database = database
        self.scope = scope
    }

    public func page(_ credential: Credential, before: Int64? = nil, limit: Int = 50) throws -> Page {
        guard (1...200).contains(limit) else { throw DeskError.invalid(field: "per_page", reason: "must be between 1 and 200") }
        return try database.withReader { try page(credential, before: before, limit: limit, on: $0) }
    }

    /// On a read connection the caller holds (a page's).
    public func page(_ credential: Credential, before: Int64?, limit: Int, on db: any SQLConnection) throws -> Page {
        guard (1...200).contains(limit) else { throw DeskError.invalid(field: "per_page", reason: "must be between 1 and 200") }
        let scope = self.scope
        do {
            let userID: Int64, title: String, tokenID: String?, clientID: String?
            switch credential {
            case .token(let id):
                guard let token = try scope.personalAccessTokens.byID(id, on: db) else {
                    throw DeskError.notFound("personal access token #\(id)")
                }
                (userID, tokenID, clientID) = (token.userID, String(id), nil)
                title = token.name.isEmpty ? token.masked : "\(token.name) (\(token.masked))"
            case .app(let grantID):
                guard let grant = try scope.oauthGrants.byID(grantID, on: db) else {
                    throw DeskError.notFound("authorized app #\(grantID)")
                }
                (userID, tokenID, clientID) = (grant.userID, nil, grant.clientID)
                let client = try scope.oauthClients.byClientID(grant.clientID, on: db)
                title = client.map { $0.name.isEmpty ? $0.clientID : $0.name } ?? grant.clientID
            }
            guard let owner = try scope.users.byID(userID, on: db) else { throw DeskError.notFound("user #\(userID)") }
            let rows = try scope.activity.list(actorUserID: userID, tokenID: tokenID, clientID: clientID, before: before,
                                               limit: limit + 1, on: db)
            var tickets: [Int64: Ticket?] = [:]
            let entries = try rows.prefix(limit).map { row -> Entry in
                var ticket: Ticket?
                if let id = row.ticketID {
                    if tickets[id] == nil { tickets[id] = try scope.tickets.byID(id, on: db) }
                    ticket = tickets[id] ?? nil
                }
                return Entry(id: row.id, ticketNumber: ticket?.number, ticketSubject: ticket?.subject, action: row.action,
                             before: SecurityLog.detail(row.beforeJSON ?? "{}"), after: SecurityLog.detail(row.afterJSON ?? "{}"),
                             createdAt: row.createdAt)
            }
            return Page(title: title, owner: PersonRef(id: owner.id, name: owner.name, email: owner.email), entries: entries,
                        nextBefore: rows.count > limit ? entries.last?.id : nil)
        }
    }
}
