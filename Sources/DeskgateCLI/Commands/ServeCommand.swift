import DeskgateAuth
import DeskgateMCP

/// `deskgate serve auth|mcp`: one server in the foreground. `up` starts two of these as
/// child processes, so `swift run deskgate up` needs no other product built.
enum ServeCommand {
    static func run(_ arguments: [String], _ context: CommandContext) throws -> Never {
        guard let which = arguments.first else { throw UsageError("serve needs auth or mcp") }
        let forwarded = Array(arguments.dropFirst())
        // Settings the CLI already resolved (file, environment, its own flags) reach the server as
        // environment; flags after `serve mcp` still override them.
        let environment = context.environment.merging(context.configuration.environment) { _, resolved in resolved }
        switch which {
        case "auth": AuthServer.main(arguments: forwarded, environment: environment)
        case "mcp": MCPServer.main(arguments: forwarded, environment: environment)
        default: throw UsageError("serve needs auth or mcp, got '\(which)'")
        }
    }
}
