import DeskgateDesk

/// What a tenant's MCP settings let callers reach: the tool families, write tools or not, and
/// whether a tool call may carry its own token.
struct ToolExposure: Sendable {
    let families: Set<ToolFamily>
    let allowsWrites: Bool
    /// Tools take `access_token` as an argument, and token-less requests may open sessions and
    /// list tools (off by default: the token then passes through the model).
    let acceptsTokenArgument: Bool

    static let everything = ToolExposure(families: [.helpDesk, .workflow], allowsWrites: true)

    init(families: Set<ToolFamily>, allowsWrites: Bool, acceptsTokenArgument: Bool = false) {
        self.families = families
        self.allowsWrites = allowsWrites
        self.acceptsTokenArgument = acceptsTokenArgument
    }

    init(_ settings: MCPSettings) {
        self.init(families: Set(settings.toolFamilies.compactMap(ToolFamily.init(rawValue:))), allowsWrites: !settings.readOnly,
                  acceptsTokenArgument: settings.accessTokenArgument)
    }

    func exposes(_ tool: ToolDefinition) -> Bool { families.contains(tool.family) && (allowsWrites || tool.readOnly) }
}
