import DeskgateConfig
import DeskgateHTTP
import DeskgateServer

/// The MCP resource server process. Its transports and tools arrive with later issues.
public enum MCPServer {
    public static func main(arguments: [String], environment: [String: String]) -> Never {
        ServerRuntime.run(program: .mcp, arguments: arguments, environment: environment) { _, _ in }
    }
}
