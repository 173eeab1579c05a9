import DeskgateJSON

/// Every tool the server offers, in a stable order (tools/list pages through this order).
struct ToolRegistry: Sendable {
    let tools: [ToolDefinition]
    private let byName: [String: Int]
    /// Pre-encoded `Tool` objects: listing tools is then a copy, not a re-encoding.
    let listings: [JSONValue]

    init(_ tools: [ToolDefinition]) {
        self.tools = tools
        byName = Dictionary(uniqueKeysWithValues: tools.enumerated().map { ($1.name, $0) })
        listings = tools.map(\.listing)
    }

    subscript(name: String) -> ToolDefinition? { byName[name].map { tools[$0] } }

    /// The tools a caller may use: only what their scopes allow (design.md: tools/list shows
    /// only the tools a token may call).
    func visible(to scopes: Set<String>, exposure: ToolExposure = .everything) -> [Int] {
        tools.indices.filter { scopes.contains(tools[$0].scope) && exposure.exposes(tools[$0]) }
    }

    /// The property names of a tool's input schema: the arguments it accepts.
    static func parameterNames(of schema: JSONValue) -> Set<String> {
        guard case .object(let properties)? = schema["properties"] else { return [] }
        return Set(properties.keys)
    }
}
