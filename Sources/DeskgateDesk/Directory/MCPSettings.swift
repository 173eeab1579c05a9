import DeskgateJSON
public import DeskgateStore

/// A tenant's MCP settings, kept under `mcp` in `tenants.settings_json`:
/// `{"mcp": {"tool_families": ["helpdesk", "workflow"], "read_only": false,
/// "access_token_argument": false}}`.
/// Unknown or malformed values read as the defaults (both families, writes allowed), so a bad
/// edit can never take MCP down for a tenant; writing always produces a clean document.
public struct MCPSettings: Sendable, Equatable {
    public static let families = ["helpdesk", "workflow"]

    /// Which tool families `tools/list` shows and `tools/call` accepts.
    public var toolFamilies: Set<String>
    /// Write tools are left out of `tools/list` and refused by `tools/call`.
    public var readOnly: Bool
    /// Tools accept the token as an `access_token` argument (the workflow product's route for
    /// clients that cannot set headers). Off by default: the token then passes through the model.
    public var accessTokenArgument: Bool

    public init(toolFamilies: Set<String> = Set(MCPSettings.families), readOnly: Bool = false,
                accessTokenArgument: Bool = false) {
        self.toolFamilies = toolFamilies
        self.readOnly = readOnly
        self.accessTokenArgument = accessTokenArgument
    }

    public init(settingsJSON: String) {
        self.init()
        guard let mcp = (try? JSONParser.parse(settingsJSON))?["mcp"] else { return }
        if let families = mcp["tool_families"]?.arrayValue?.compactMap(\.stringValue) {
            toolFamilies = Set(families.filter(Self.families.contains))
        }
        readOnly = mcp["read_only"]?.boolValue ?? false
        accessTokenArgument = mcp["access_token_argument"]?.boolValue ?? false
    }

    /// `settingsJSON` with the `mcp` member replaced by these settings (other members kept).
    public func merged(into settingsJSON: String) -> String {
        var root = (try? JSONParser.parse(settingsJSON))?.objectValue ?? JSONObject()
        root["mcp"] = .object(JSONObject([
            ("tool_families", .array(Self.families.filter(toolFamilies.contains).map(JSONValue.string))),
            ("read_only", .bool(readOnly)),
            ("access_token_argument", .bool(accessTokenArgument)),
        ]))
        return JSONValue.object(root).text
    }
}

extension TenantService {
    public func setMCPSettings(_ settings: MCPSettings, slug: String) throws -> Tenant {
        guard !settings.toolFamilies.isEmpty else {
            throw DeskError.invalid(field: "tool_families", reason: "expose at least one of helpdesk, workflow")
        }
        return try database.write { tx in
            guard let tenant = try TenantDirectory().bySlug(slug, on: tx.connection),
                  try TenantDirectory().setSettings(settings.merged(into: tenant.settingsJSON), forSlug: slug, in: tx),
                  let updated = try TenantDirectory().bySlug(slug, on: tx.connection) else {
                throw DeskError.notFound("tenant '\(slug)'")
            }
            return updated
        }
    }
}
