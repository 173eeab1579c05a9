import DeskgateJSON

/// The strings nearly every MCP request repeats (JSON-RPC and MCP keys, method names, protocol
/// versions, tool and argument names), so that the request parser hands them out shared
/// instead of decoding each one again; a `tools/call` body has about twenty (callgrind).
enum RequestStrings {
    static func table(tools: ToolRegistry) -> JSONKnownStrings {
        var strings = [
            "jsonrpc", "2.0", "id", "method", "params", "result", "error", "name", "arguments", "_meta", "uri",
            "protocolVersion", "capabilities", "clientInfo", "version", "progressToken", "cursor", "requestId",
            "initialize", "ping", "tools/list", "tools/call", "server/discover",
            "notifications/initialized", "notifications/cancelled",
            ProtocolVersion.protocolVersionKey, ProtocolVersion.clientCapabilitiesKey, ProtocolVersion.clientInfoKey,
            ToolRegistry.tokenArgument,
        ]
        strings += ProtocolVersion.all
        for tool in tools.tools {
            strings.append(tool.name)
            strings += ToolRegistry.parameterNames(of: tool.inputSchema).sorted()
        }
        return JSONKnownStrings(strings)
    }
}
