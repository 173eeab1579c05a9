import DeskgateConfig
import DeskgateHTTP
import DeskgateServer

/// The authorization server process. Its OAuth and page routes arrive with later issues.
public enum AuthServer {
    public static func main(arguments: [String], environment: [String: String]) -> Never {
        ServerRuntime.run(program: .auth, arguments: arguments, environment: environment) { _, _ in }
    }
}
