import DeskgateJSON

/// The MCP part of a tenant's settings (`tenants.settings_json`):
/// `{"mcp": {"tool_families": ["helpdesk", "workflow"]}}`. Unknown or malformed values fall
/// back to the defaults, so a bad edit never takes the whole MCP server down for a tenant.
struct TenantMCPSettings {
    let toolFamilies: Set<ToolFamily>

    init(settingsJSON: String) {
        let families = (try? JSONParser.parse(settingsJSON))?["mcp"]?["tool_families"]?.arrayValue?
            .compactMap { $0.stringValue.flatMap(ToolFamily.init(rawValue:)) }
        toolFamilies = families.map(Set.init) ?? MCPService.allFamilies
    }
}
