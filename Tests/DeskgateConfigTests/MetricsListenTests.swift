import Testing
@testable import DeskgateConfig

/// `--metrics-listen HOST:PORT` (and `DESKGATE_{AUTH,MCP}_METRICS_LISTEN`, `*.metrics_listen`).
@Suite("Metrics listener address")
struct MetricsListenTests {
    @Test(arguments: [
        ("127.0.0.1:9102", ListenAddress(host: "127.0.0.1", port: 9102)),
        ("0.0.0.0:0", ListenAddress(host: "0.0.0.0", port: 0)),
        ("localhost:65535", ListenAddress(host: "localhost", port: 65535)),
        ("[::1]:9102", ListenAddress(host: "::1", port: 9102)),
        ("9102", nil), (":9102", nil), ("127.0.0.1:", nil), ("127.0.0.1:65536", nil), ("127.0.0.1:-1", nil),
        ("::1:9102", nil), ("[]:9102", nil), ("[::1:9102", nil), ("a b:1", nil), ("http://x:1", nil),
    ] as [(String, ListenAddress?)])
    func parses(text: String, expected: ListenAddress?) {
        #expect(ListenAddress(text) == expected)
    }

    @Test func descriptionRoundTrips() {
        for text in ["127.0.0.1:9102", "[::1]:9102"] { #expect(ListenAddress(text)?.description == text) }
    }

    @Test func eachServerHasItsOwnFlagEnvironmentAndFileKey() throws {
        let environment = ["DESKGATE_AUTH_METRICS_LISTEN": "127.0.0.1:9101", "DESKGATE_MCP_METRICS_LISTEN": "127.0.0.1:9102"]
        let (mcp, _) = try ConfigurationLoader.load(program: .mcp, arguments: ["--metrics-listen", "[::1]:9200"], environment: environment)
        #expect(mcp.mcp.metricsListen == ListenAddress(host: "::1", port: 9200))
        #expect(mcp.auth.metricsListen == ListenAddress(host: "127.0.0.1", port: 9101))
        #expect(mcp.environment["DESKGATE_MCP_METRICS_LISTEN"] == "[::1]:9200")
        let (defaults, _) = try ConfigurationLoader.load(program: .auth, arguments: [], environment: [:])
        #expect(defaults.auth.metricsListen == nil && defaults.environment["DESKGATE_AUTH_METRICS_LISTEN"] == nil)
    }

    @Test func aBadAddressIsNamed() {
        #expect(throws: ConfigurationError("DESKGATE_MCP_METRICS_LISTEN must be HOST:PORT (an IPv6 host in brackets), got '9102'")) {
            _ = try ConfigurationLoader.load(program: .mcp, arguments: [], environment: ["DESKGATE_MCP_METRICS_LISTEN": "9102"])
        }
    }
}
