import Foundation
import Testing
@testable import DeskgateConfig

@Suite("Configuration precedence")
struct ConfigurationLoaderTests {
    func writeConfig(_ json: String) throws -> String {
        let path = NSTemporaryDirectory() + "deskgate-config-\(UUID().uuidString).json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaults() throws {
        let (configuration, rest) = try ConfigurationLoader.load(program: .mcp, arguments: [], environment: [:])
        #expect(rest.isEmpty)
        #expect(configuration.databasePath == "var/deskgate.sqlite")
        #expect(configuration.keysDirectory == "keys")
        #expect(configuration.mcp.publicURL == "http://127.0.0.1:8002")
        #expect(configuration.auth.publicURL == "http://127.0.0.1:8001")
    }

    @Test func flagsOverrideEnvironmentWhichOverridesFile() throws {
        let path = try writeConfig(#"{"database": "from-file.sqlite", "mcp": {"port": 9000, "host": "0.0.0.0"}, "http": {"access_log": false}}"#)
        let environment = ["DESKGATE_CONFIG": path, "DESKGATE_MCP_PORT": "9100", "DESKGATE_DATABASE": "from-env.sqlite"]
        let (configuration, _) = try ConfigurationLoader.load(program: .mcp, arguments: ["--port", "9200"], environment: environment)
        #expect(configuration.mcp.port == 9200)
        #expect(configuration.mcp.host == "0.0.0.0")
        #expect(configuration.databasePath == "from-env.sqlite")
        #expect(configuration.http.accessLog == false)
        let (fromEnvironment, _) = try ConfigurationLoader.load(program: .mcp, arguments: [], environment: environment)
        #expect(fromEnvironment.mcp.port == 9100)
    }

    @Test func serverFlagsApplyToTheirOwnSection() throws {
        let (auth, _) = try ConfigurationLoader.load(program: .auth, arguments: ["--port=7001", "--public-url", "https://auth.example.com/"],
                                                     environment: [:])
        #expect(auth.auth.port == 7001)
        #expect(auth.mcp.port == 8002)
        #expect(auth.auth.publicURL == "https://auth.example.com")
    }

    @Test func cliKeepsItsCommandArguments() throws {
        let (configuration, rest) = try ConfigurationLoader.load(
            program: .cli, arguments: ["--database", "x.sqlite", "tenant", "create", "acme", "--name", "Acme"], environment: [:])
        #expect(configuration.databasePath == "x.sqlite")
        #expect(rest == ["tenant", "create", "acme", "--name", "Acme"])
    }

    @Test(arguments: [
        (["--port", "70000"], "--port must be an integer in 0...65535, got '70000'"),
        (["--port"], "--port needs a value"),
        (["--public-url", "ftp://x"], "--public-url must be an http(s) URL without query or fragment, got 'ftp://x'"),
        (["--idle-timeout", "-1"], "--idle-timeout must be a number of seconds in (0, 86400], got '-1'"),
    ])
    func badFlagsAreNamed(_ arguments: [String], _ message: String) {
        #expect(throws: ConfigurationError(message)) {
            _ = try ConfigurationLoader.load(program: .mcp, arguments: arguments, environment: [:])
        }
    }

    @Test func unknownFileKeyIsRefused() throws {
        let path = try writeConfig(#"{"mcp": {"prot": 1}}"#)
        #expect(throws: ConfigurationError("\(path): unknown setting 'mcp.prot'")) {
            _ = try ConfigurationLoader.load(program: .mcp, arguments: ["--config", path], environment: [:])
        }
    }

    @Test func badEnvironmentValueIsNamed() {
        #expect(throws: ConfigurationError("DESKGATE_ACCESS_LOG must be true or false, got 'maybe'")) {
            _ = try ConfigurationLoader.load(program: .mcp, arguments: [], environment: ["DESKGATE_ACCESS_LOG": "maybe"])
        }
    }

    @Test func exampleConfigFileLoads() throws {
        // The shipped example must stay in step with the settings table.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let example = root.appendingPathComponent("config/deskgate.example.json").path
        let (configuration, _) = try ConfigurationLoader.load(program: .mcp, arguments: ["--config", example], environment: [:])
        #expect(configuration.mcp.port == 8002)
    }
}
