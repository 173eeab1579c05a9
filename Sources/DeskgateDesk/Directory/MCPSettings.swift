import DeskgateJSON
import DeskgateStore
public import DeskgateIdentity
public import DeskgateModel
import DeskgateSystem

/// A tenant's MCP settings, kept under `mcp` in `tenants.settings_json`:
/// `{"mcp": {"tool_families": ["helpdesk", "workflow"], "read_only": false,
/// "access_token_argument": false, "approval": "none", "data_limit": {"department_ids": [3], "tag_ids": [],
/// "allow_writes": true}}` (`data_limit` is `MCPDataLimit`; absent means no limit).
/// Unknown or malformed values read as the defaults (both families, writes allowed), so a bad
/// edit can never take MCP down for a tenant; writing always produces a clean document.
public struct MCPSettings: Sendable, Equatable {
    public static let families = ["helpdesk", "workflow"]

    /// Every tool the MCP server offers, by name, for the settings that name tools (the CLI and
    /// the admin page validate against it; ToolRegistryTests holds it equal to the registry).
    public static let toolNames = [
        "get_ticket_context", "get_ticket_messages", "get_ticket_metadata", "get_ticket_tags", "get_ticket_activity",
        "list_agents", "list_departments", "search_tickets",
        "add_ticket_tags", "remove_ticket_tags", "resolve_ticket", "reopen_ticket", "assign_ticket",
        "transfer_ticket", "add_ticket_note", "create_ticket",
        "ticket_list", "ticket_detail", "ticket_prepare_handle", "ticket_handle", "user_list",
    ]

    /// The names of `text` (comma-separated) that are not tools, sorted.
    public static func unknownTools(_ names: Set<String>) -> [String] { names.subtracting(toolNames).sorted() }

    /// Which tool families `tools/list` shows and `tools/call` accepts.
    public var toolFamilies: Set<String>
    /// Write tools are left out of `tools/list` and refused by `tools/call`.
    public var readOnly: Bool
    /// Tools accept the token as an `access_token` argument (the workflow product's route for
    /// clients that cannot set headers). Off by default: the token then passes through the model.
    public var accessTokenArgument: Bool
    /// Which tickets MCP calls may reach at all (see `MCPDataLimit`).
    public var dataLimit: MCPDataLimit
    /// Tools turned off by name, beyond the families: absent from `tools/list`, refused by `tools/call`.
    public var deniedTools: Set<String> = []
    /// The apps that may ask agents for access (`/authorize`): client ids, or the hosts of Client
    /// ID Metadata Document URLs. Empty: every app may ask.
    public var allowedApps: Set<String> = []
    /// Which writes wait for a person's approval (`ApprovalPolicy`); tokens and apps may tighten it.
    public var approval: ApprovalPolicy = .never

    /// An allowed-apps entry as typed: a host (has a dot, no scheme) in lower case, a client id as it is.
    public static func appEntry(_ text: String) -> String {
        text.contains("://") || !text.contains(".") ? text : text.lowercased()
    }

    /// Whether the app `clientID` may start an authorization: listed itself, or a metadata
    /// document URL (`https://host/…`) on a listed host.
    public func allowsApp(clientID: String) -> Bool {
        guard !allowedApps.isEmpty else { return true }
        if allowedApps.contains(clientID) { return true }
        guard clientID.hasPrefix("https://") else { return false }
        let rest = clientID.dropFirst("https://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map { $0.split(separator: ":").first.map(String.init) ?? "" } ?? ""
        return allowedApps.contains(host.lowercased())
    }

    public init(toolFamilies: Set<String> = Set(MCPSettings.families), readOnly: Bool = false,
                accessTokenArgument: Bool = false, dataLimit: MCPDataLimit = MCPDataLimit()) {
        self.toolFamilies = toolFamilies
        self.readOnly = readOnly
        self.accessTokenArgument = accessTokenArgument
        self.dataLimit = dataLimit
    }

    public init(settingsJSON: String) {
        self.init()
        guard let mcp = (try? JSONParser.parse(settingsJSON))?["mcp"] else { return }
        if let families = mcp["tool_families"]?.arrayValue?.compactMap(\.stringValue) {
            toolFamilies = Set(families.filter(Self.families.contains))
        }
        if let denied = mcp["denied_tools"]?.arrayValue?.compactMap(\.stringValue) {
            deniedTools = Set(denied.filter(Self.isToolName))
        }
        if let apps = mcp["allowed_apps"]?.arrayValue?.compactMap(\.stringValue) {
            allowedApps = Set(apps.filter { !$0.isEmpty && $0.utf8.count <= 2048 })
        }
        readOnly = mcp["read_only"]?.boolValue ?? false
        approval = mcp["approval"]?.stringValue.flatMap(ApprovalPolicy.init(stored:)) ?? .never
        accessTokenArgument = mcp["access_token_argument"]?.boolValue ?? false
        if let limit = mcp["data_limit"] {
            func ids(_ key: String) -> Set<Int64> {
                Set((limit[key]?.arrayValue ?? []).compactMap(\.intValue).filter { $0 > 0 }.map(Int64.init))
            }
            dataLimit = MCPDataLimit(departmentIDs: ids("department_ids"), tagIDs: ids("tag_ids"),
                                     allowsWrites: limit["allow_writes"]?.boolValue ?? true)
        }
    }

    /// What a tool name may look like (lower case, digits, underscores, at most 64): anything else
    /// in a stored document is not a tool and is dropped on reading.
    public static func isToolName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    /// `settingsJSON` with the `mcp` member replaced by these settings (other members kept).
    public func merged(into settingsJSON: String) -> String {
        var root = (try? JSONParser.parse(settingsJSON))?.objectValue ?? JSONObject()
        root["mcp"] = .object(JSONObject([
            ("tool_families", .array(Self.families.filter(toolFamilies.contains).map(JSONValue.string))),
            ("read_only", .bool(readOnly)),
            ("access_token_argument", .bool(accessTokenArgument)),
            ("denied_tools", .array(deniedTools.sorted().map(JSONValue.string))),
            ("allowed_apps", .array(allowedApps.sorted().map(JSONValue.string))),
            ("approval", .string(approval.rawValue)),
            ("data_limit", .object(JSONObject([
                ("department_ids", .array(dataLimit.departmentIDs.sorted().map { .number(JSONNumber(Int($0))) })),
                ("tag_ids", .array(dataLimit.tagIDs.sorted().map { .number(JSONNumber(Int($0))) })),
                ("allow_writes", .bool(dataLimit.allowsWrites)),
            ]))),
        ]))
        return JSONValue.object(root).text
    }
}

extension TenantService {
    /// Saves the tenant's MCP settings; `actorID` (a tenant admin on the settings page; nil for
    /// the operator's CLI) is recorded with a `mcp_settings_changed` security event. The data
    /// limit's departments and tags must exist in the tenant.
    public func setMCPSettings(_ settings: MCPSettings, slug: String, by who: ActorRef = .operator) throws -> Tenant {
        guard !settings.toolFamilies.isEmpty else {
            throw DeskError.invalid(field: "tool_families", reason: "expose at least one of helpdesk, workflow")
        }
        return try database.write { tx in
            let db = tx.connection
            guard let tenant = try TenantDirectory().bySlug(slug, on: db) else { throw DeskError.notFound("tenant '\(slug)'") }
            let scope = tenant.scope
            // An admin's page may be stale: re-read them inside the transaction.
            if case .agent(let adminID) = who { try AgentAdministration.requireAdmin(adminID, scope: scope, on: db) }
            let departments = Set(try scope.departments.list(on: db).map(\.id))
            guard settings.dataLimit.departmentIDs.isSubset(of: departments) else {
                throw DeskError.invalid(field: "limit_departments", reason: "names a department that does not exist")
            }
            let tags = Set(try scope.tags.list(on: db).map(\.id))
            guard settings.dataLimit.tagIDs.isSubset(of: tags) else {
                throw DeskError.invalid(field: "limit_tags", reason: "names a tag that does not exist")
            }
            let before = MCPSettings(settingsJSON: tenant.settingsJSON)
            guard try TenantDirectory().setSettings(settings.merged(into: tenant.settingsJSON), forSlug: slug, in: tx),
                  let updated = try TenantDirectory().bySlug(slug, on: db) else {
                throw DeskError.notFound("tenant '\(slug)'")
            }
            if before != settings {
                try SecurityEvent.record("mcp_settings_changed", tenant: scope, actor: who.userID, subject: nil,
                                         detail: settings.summary, address: nil, at: WallClock.milliseconds(), in: tx)
            }
            return updated
        }
    }
}

extension MCPSettings {
    /// The settings as security-log detail (ids and switches only).
    var summary: [(String, String)] {
        [("tool_families", Self.families.filter(toolFamilies.contains).joined(separator: ",")),
         ("read_only", String(readOnly)), ("access_token_argument", String(accessTokenArgument)),
         ("limit_departments", dataLimit.departmentIDs.sorted().map(String.init).joined(separator: ",")),
         ("limit_tags", dataLimit.tagIDs.sorted().map(String.init).joined(separator: ",")),
         ("limit_allows_writes", String(dataLimit.allowsWrites)),
         ("denied_tools", deniedTools.sorted().joined(separator: ",")),
         ("allowed_apps", allowedApps.sorted().joined(separator: ",")), ("approval", approval.rawValue)]
    }
}
