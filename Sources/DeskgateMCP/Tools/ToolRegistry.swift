import DeskgateIdentity
import DeskgateJSON

/// Every tool the server offers, in a stable order (tools/list pages through this order).
struct ToolRegistry: Sendable {
    let tools: [ToolDefinition]
    /// `tools`' names, in the same order, for `subscript(name:)`.
    private let names: [String]
    /// Pre-encoded `Tool` objects: listing tools is then a copy, not a re-encoding.
    let listings: [JSONValue]
    /// The same listings with the `access_token` argument declared, for tenants that take the
    /// token as a tool argument (`MCPSettings.accessTokenArgument`).
    let listingsWithTokenArgument: [JSONValue]

    init(_ tools: [ToolDefinition]) {
        self.tools = tools
        names = tools.map(\.name)
        precondition(Set(names).count == names.count, "tool names must be unique")
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
            // Short: it is repeated on every tool (issue 19).
            ("description", "Deskgate token, if no Authorization header (the model sees it)."),
        ]))
        schema["properties"] = .object(properties)
        tool["inputSchema"] = .object(schema)
        return .object(tool)
    }

    /// By name, in a scan with the length checked first: the name a request brings is usually
    /// the very `String` held here (the request parser's known strings share it), so the match
    /// is a pointer check, where hashing it into a `Dictionary` cost ~500 instructions a call
    /// (callgrind). A few dozen tools keep the scan short.
    subscript(name: String) -> ToolDefinition? {
        index(of: name).map { tools[$0] }
    }

    /// The tool's position in `tools` (its metrics series).
    func index(of name: String) -> Int? {
        let length = name.utf8.count
        for index in names.indices where names[index].utf8.count == length && names[index] == name {
            return index
        }
        return nil
    }

    /// The tools a caller may use: only what their scopes allow (tools/list shows only the
    /// tools a token may call).
    func visible(to scopes: Scopes, exposure: ToolExposure = .everything) -> [Int] {
        tools.indices.filter { scopes.contains(tools[$0].scope) && exposure.exposes(tools[$0]) }
    }

    /// The property names of a tool's input schema: the arguments it accepts.
    static func parameterNames(of schema: JSONValue) -> Set<String> {
        guard case .object(let properties)? = schema["properties"] else { return [] }
        return Set(properties.keys)
    }
}
