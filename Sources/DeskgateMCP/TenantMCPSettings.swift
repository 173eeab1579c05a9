import DeskgateDesk

/// The tool families a tenant's MCP settings expose, as the registry names them.
extension MCPSettings {
    var exposedFamilies: Set<ToolFamily> { Set(toolFamilies.compactMap(ToolFamily.init(rawValue:))) }
}
