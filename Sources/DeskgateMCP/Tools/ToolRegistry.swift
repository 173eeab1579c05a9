import DeskgateJSON

/// Every tool the server offers, in a stable order (tools/list pages through this order).
struct ToolRegistry: Sendable {
    let tools: [ToolDefinition]
    private let byName: [String: Int]
    /// Pre-encoded `Tool` objects: listing tools is then a copy, not a re-encoding.
    let listings: [JSONValue]
    /// The same listings with the `access_token` argument declared, for tenants that take the
    /// token as a tool argument (`MCPSettings.accessTokenArgument`).
    let listingsWithTokenArgument: [JSONValue]

    init(_ tools: [ToolDefinition]) {
        self.tools = tools
        byName = Dictionary(uniqueKeysWithValues: tools.enumerated().map { ($1.name, $0) })
        listings = tools.map(\.listing)
        listingsWithTokenArgument = listings.map(Self.declaringTokenArgument)
    }

    static let tokenArgument = "access_token"

    /// `listing` with `inputSchema.properties.access_token` added (optional: a header token
    /// still works). The description warns that the value passes through the model.
    private static func declaringTokenArgument(_ listing: JSONValue) -> JSONValue {
        guard case .object(var tool) = listing, case .object(var schema)? = tool["inputSchema"] else { return listing }
        var properties = schema["properties"]?.objectValue ?? JSONObject()
        properties[tokenArgument] = .object(JSONObject([
            ("type", "string"),
            ("description", .string("Your Deskgate access token (dgpat_… or an OAuth access token), only when your client "
                                    + "cannot send it in the Authorization header. The token is then visible to the model "
                                    + "and its logs; prefer the header.")),
        ]))
        schema["properties"] = .object(properties)
        tool["inputSchema"] = .object(schema)
        return .object(tool)
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
