public import DeskgateSQL
public import DeskgateStore
public import DeskgateModel
import DeskgateJSON

/// The tenant's security log as admins read it: who did what to whom, newest first, filtered
/// by agent (acting or affected) and by kind, keyset-paged.
public struct SecurityLog: Sendable {
    /// The kinds an admin filters by, in the order the page offers them, with their labels.
    public static let kinds: [(kind: String, label: String)] = [
        ("token_created", "Token created"), ("token_revoked", "Token revoked"),
        ("app_approved", "App approved"), ("app_revoked", "App revoked"),
        ("login_succeeded", "Login succeeded"), ("login_failed", "Login failed"), ("logout", "Logout"),
        ("agent_created", "Agent created"), ("role_changed", "Role changed"), ("agent_deactivated", "Agent deactivated"),
        ("mcp_settings_changed", "MCP settings changed"),
        ("code_replayed", "Authorization code replayed"), ("refresh_token_reused", "Refresh token reused"),
    ]
    /// What "admin actions" means in the filter.
    public static let adminKinds = ["agent_created", "role_changed", "agent_deactivated", "mcp_settings_changed"]
    public static let pageSizes = 1...200

    public struct Entry: Sendable, Equatable {
        public let id: Int64
        public let kind: String
        public let actor: PersonRef?
        public let subject: PersonRef?
        /// The event's detail members in stored order (ids, names, switches; never a secret).
        public let detail: [String: String]
        public let address: String?
        public let createdAt: Int64

        public var label: String { SecurityLog.kinds.first { $0.kind == kind }?.label ?? kind }
    }

    public struct Page: Sendable, Equatable {
        public let entries: [Entry]
        /// Pass as `before` for the next (older) page; nil on the last page.
        public let nextBefore: Int64?
    }

    let database: Database
    let scope: TenantScope

    public init(database: Database, scope: TenantScope) {
        self.database = database
        self.scope = scope
    }

    /// `kinds` empty: every kind; an unknown kind is refused (the field names it).
    public func page(agentID: Int64? = nil, kinds: [String] = [], before: Int64? = nil, limit: Int = 50) throws -> Page {
        guard Self.pageSizes.contains(limit) else { throw DeskError.invalid(field: "per_page", reason: "must be between 1 and 200") }
        if let unknown = kinds.first(where: { kind in !Self.kinds.contains { $0.kind == kind } }) {
            throw DeskError.invalid(field: "kind", reason: "'\(unknown)' is not a security event kind")
        }
        return try database.withReader { try page(agentID: agentID, kinds: kinds, before: before, limit: limit, on: $0) }
    }

    /// On a read connection the caller holds (a page's).
    public func page(agentID: Int64?, kinds: [String], before: Int64?, limit: Int, on db: any SQLConnection) throws -> Page {
        guard Self.pageSizes.contains(limit) else { throw DeskError.invalid(field: "per_page", reason: "must be between 1 and 200") }
        if let unknown = kinds.first(where: { kind in !Self.kinds.contains { $0.kind == kind } }) {
            throw DeskError.invalid(field: "kind", reason: "'\(unknown)' is not a security event kind")
        }
        let scope = self.scope
        do {
            let rows = try scope.securityEvents.page(kinds: kinds, userID: agentID, before: before, limit: limit + 1, on: db)
            var people: [Int64: PersonRef?] = [:]
            func person(_ id: Int64?) throws -> PersonRef? {
                guard let id else { return nil }
                if people[id] == nil {
                    people[id] = try scope.users.byID(id, on: db).map { PersonRef(id: $0.id, name: $0.name, email: $0.email) }
                }
                return people[id] ?? nil
            }
            let entries = try rows.prefix(limit).map { row in
                Entry(id: row.id, kind: row.kind, actor: try person(row.actorUserID), subject: try person(row.subjectUserID),
                      detail: Self.detail(row.detailJSON), address: row.address, createdAt: row.createdAt)
            }
            return Page(entries: entries, nextBefore: rows.count > limit ? entries.last?.id : nil)
        }
    }

    package static func detail(_ json: String) -> [String: String] {
        guard let object = (try? JSONParser.parse(json))?.objectValue else { return [:] }
        var result: [String: String] = [:]
        for key in object.keys { result[key] = object[key]?.stringValue }
        return result
    }
}
