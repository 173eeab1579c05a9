import Testing
@testable import DeskgateConfig

/// `--tls-cert FILE --tls-key FILE` (repeatable, in pairs), `DESKGATE_{AUTH,MCP}_TLS_CERT/_KEY`,
/// `{auth,mcp}.tls_cert` / `tls_key` (comma-separated lists).
@Suite("TLS settings")
struct TLSSettingsTests {
    @Test func flagsRepeatInPairs() throws {
        let (configuration, rest) = try ConfigurationLoader.load(
            program: .mcp, arguments: ["--tls-cert", "a.crt", "--tls-key", "a.key", "--tls-cert=b.crt", "--tls-key", "b.key", "extra"],
            environment: [:])
        #expect(configuration.mcp.tlsCertificateFiles == ["a.crt", "b.crt"])
        #expect(configuration.mcp.tlsKeyFiles == ["a.key", "b.key"])
        #expect(configuration.auth.tlsEnabled == false)
        #expect(rest == ["extra"])
    }

    @Test func environmentListsPerServer() throws {
        let environment = ["DESKGATE_AUTH_TLS_CERT": "a.crt, b.crt", "DESKGATE_AUTH_TLS_KEY": "a.key,b.key",
                           "DESKGATE_MCP_TLS_CERT": "m.crt", "DESKGATE_MCP_TLS_KEY": "m.key"]
        let (configuration, _) = try ConfigurationLoader.load(program: .auth, arguments: [], environment: environment)
        #expect(configuration.auth.tlsCertificateFiles == ["a.crt", "b.crt"])
        #expect(configuration.auth.tlsKeyFiles == ["a.key", "b.key"])
        #expect(configuration.mcp.tlsCertificateFiles == ["m.crt"])
        // Children of `deskgate up` get exactly this.
        #expect(configuration.environment["DESKGATE_AUTH_TLS_CERT"] == "a.crt,b.crt")
        #expect(configuration.environment["DESKGATE_MCP_TLS_KEY"] == "m.key")
        let (plain, _) = try ConfigurationLoader.load(program: .auth, arguments: [], environment: [:])
        #expect(plain.environment["DESKGATE_AUTH_TLS_CERT"] == nil)
    }

    @Test func unpairedFilesAreRefused() {
        #expect(throws: ConfigurationError("mcp.tls_cert names 2 certificate file(s) and mcp.tls_key 1 key file(s): give them in pairs (--tls-cert FILE --tls-key FILE)")) {
            _ = try ConfigurationLoader.load(program: .mcp, arguments: ["--tls-cert", "a,b", "--tls-key", "a.key"], environment: [:])
        }
        #expect(throws: ConfigurationError.self) {
            _ = try ConfigurationLoader.load(program: .auth, arguments: [], environment: ["DESKGATE_AUTH_TLS_KEY": "k.pem"])
        }
        #expect(throws: ConfigurationError("--tls-cert must be a file path, or several separated by commas, got 'a.crt,'")) {
            _ = try ConfigurationLoader.load(program: .auth, arguments: ["--tls-cert", "a.crt,"], environment: [:])
        }
    }

    @Test func defaultPublicURLFollowsTLS() {
        var settings = ServerSettings(host: "127.0.0.1", port: 8443)
        #expect(settings.publicURL == "http://127.0.0.1:8443")
        settings.tlsCertificateFiles = ["c.pem"]
        settings.tlsKeyFiles = ["k.pem"]
        #expect(settings.publicURL == "https://127.0.0.1:8443")
        settings.configuredPublicURL = "https://desk.example.com/"
        #expect(settings.publicURL == "https://desk.example.com")
    }

    @Test func theCLIHasNoTLSFlags() throws {
        let (_, rest) = try ConfigurationLoader.load(program: .cli, arguments: ["--tls-cert", "a"], environment: [:])
        #expect(rest == ["--tls-cert", "a"])
    }
}
