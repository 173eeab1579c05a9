import DeskgateDesk

/// What a tenant's MCP settings let callers reach: the tool families, and write tools or not.
struct ToolExposure: Sendable {
    let families: Set<ToolFamily>
    let allowsWrites: Bool

    static let everything = ToolExposure(families: [.helpDesk, .workflow], allowsWrites: true)

    init(families: Set<ToolFamily>, allowsWrites: Bool) {
        self.families = families
        self.allowsWrites = allowsWrites
    }

    init(_ settings: MCPSettings) {
        self.init(families: Set(settings.toolFamilies.compactMap(ToolFamily.init(rawValue:))), allowsWrites: !settings.readOnly)
    }

    func exposes(_ tool: ToolDefinition) -> Bool { families.contains(tool.family) && (allowsWrites || tool.readOnly) }
}
