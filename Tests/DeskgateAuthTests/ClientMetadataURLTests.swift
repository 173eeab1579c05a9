@testable import DeskgateAuth
import DeskgateHTTPClient
import Testing

@Suite struct ClientMetadataURLTests {
    struct Accepted: Sendable, CustomStringConvertible {
        let url: String
        let host: ClientMetadataURL.Host
        let port: Int
        let target: String
        var description: String { url }
    }

    static let accepted: [Accepted] = [
        Accepted(url: "https://claude.ai/oauth/claude-code-client-metadata", host: .name("claude.ai"), port: 443,
                 target: "/oauth/claude-code-client-metadata"),
        Accepted(url: "https://app.example.com:8443/client.json", host: .name("app.example.com"), port: 8443, target: "/client.json"),
        Accepted(url: "https://App.Example.com/c", host: .name("app.example.com"), port: 443, target: "/c"),
        Accepted(url: "https://example.com/client?v=2", host: .name("example.com"), port: 443, target: "/client?v=2"),
        Accepted(url: "https://8.8.8.8/client.json", host: .address(IPAddress(literal: "8.8.8.8")!), port: 443, target: "/client.json"),
        Accepted(url: "https://[2001:4860::1]:444/c.json", host: .address(IPAddress(literal: "2001:4860::1")!), port: 444, target: "/c.json"),
        Accepted(url: "https://xn--bcher-kva.example/c", host: .name("xn--bcher-kva.example"), port: 443, target: "/c"),
    ]

    @Test(arguments: accepted) func acceptsMetadataURLs(_ row: Accepted) throws {
        let url = try ClientMetadataURL(row.url, allowInsecureLoopback: false)
        #expect(url.host == row.host)
        #expect(url.port == row.port)
        #expect(url.requestTarget == row.target)
        #expect(url.text == row.url)
        #expect(!url.isInsecureLoopback)
    }

    static let refused: [(String, String)] = [
        ("http://example.com/client.json", "must use https"),
        ("ftp://example.com/client.json", "must use https"),
        ("HTTPS://example.com/client.json", "must use https"),
        ("example.com/client.json", "must use https"),
        ("https://example.com", "must have a path"),
        ("https://example.com/", "must have a path"),
        ("https://example.com?x=/y", "must have a path"),
        ("https://user:pw@example.com/client.json", "user name or password"),
        ("https://user@example.com/client.json", "user name or password"),
        ("https://example.com/client.json#frag", "fragment"),
        ("https://example.com/a/../client.json", "dot path segments"),
        ("https://example.com/./client.json", "dot path segments"),
        ("https://example.com/a/%2E%2e/client.json", "dot path segments"),
        ("https://example.com/a/%2e/client.json", "dot path segments"),
        ("https://example.com/a%zz", "percent-encoding"),
        ("https://example.com/a%2", "percent-encoding"),
        ("https://exa mple.com/client.json", "characters not allowed"),
        ("https://example.com/client\\json", "characters not allowed"),
        ("https://bücher.example/client.json", "characters not allowed"),
        ("https:///client.json", "must have a host"),
        ("https://:443/client.json", "must have a host"),
        ("https://example.com:/client.json", "invalid port"),
        ("https://example.com:0/client.json", "invalid port"),
        ("https://example.com:65536/client.json", "invalid port"),
        ("https://example.com:+443/client.json", "invalid port"),
        ("https://example.com./client.json", "invalid host name"),
        ("https://-bad.example/client.json", "invalid host name"),
        ("https://a..b/client.json", "invalid host name"),
        ("https://under_score.example/client.json", "invalid host name"),
        ("https://2130706433/client.json", "invalid IPv4 host"),
        ("https://0x7f.0.0.1/client.json", "invalid IPv4 host"),
        ("https://1.2.3.0x7f/client.json", "invalid IPv4 host"),
        ("https://127.1/client.json", "invalid IPv4 host"),
        ("https://017.0.0.1/client.json", "invalid IPv4 host"),
        ("https://example.123/client.json", "invalid IPv4 host"),
        ("https://[fe80::1%25eth0]/client.json", "malformed IPv6 host"),
        ("https://[::1/client.json", "malformed IPv6 host"),
        ("https://[10.0.0.1]/client.json", "malformed IPv6 host"),
        ("https://" + String(repeating: "a", count: 2040) + ".com/c", "longer than"),
    ]

    @Test(arguments: refused) func refusesUnsafeURLs(_ row: (String, String)) {
        do {
            _ = try ClientMetadataURL(row.0, allowInsecureLoopback: false)
            Issue.record("accepted \(row.0)")
        } catch {
            guard case .invalidURL(let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(reason.contains(row.1), "\(row.0): \(reason)")
        }
    }

    @Test func developmentFlagAllowsPlainHTTPToLoopbackOnly() throws {
        for text in ["http://127.0.0.1:8080/client.json", "http://localhost:9/c", "http://[::1]:80/c"] {
            let url = try ClientMetadataURL(text, allowInsecureLoopback: true)
            #expect(url.isInsecureLoopback)
            #expect(throws: ClientMetadataError.invalidURL("must use https")) { try ClientMetadataURL(text, allowInsecureLoopback: false) }
        }
        for text in ["http://10.0.0.1/c", "http://example.com/c", "http://127.0.0.2/c", "http://localhost.example.com/c"] {
            #expect(throws: ClientMetadataError.self) { try ClientMetadataURL(text, allowInsecureLoopback: true) }
        }
        // The flag is about plain http only: https to loopback stays refused by the address rules.
        let https = try ClientMetadataURL("https://127.0.0.1:8443/c", allowInsecureLoopback: true)
        #expect(!https.isInsecureLoopback)
        #expect(throws: ClientMetadataError.addressNotAllowed) {
            try ClientMetadataFetcher(allowInsecureLoopback: true).vettedAddresses(for: https, deadline: FetchDeadline(milliseconds: 5000))
        }
    }

    @Test func hostHeaderKeepsThePortAsWritten() throws {
        #expect(try ClientMetadataURL("https://example.com:8443/c", allowInsecureLoopback: false).hostHeader == "example.com:8443")
        #expect(try ClientMetadataURL("https://example.com/c", allowInsecureLoopback: false).hostHeader == "example.com")
        #expect(try ClientMetadataURL("https://[2001:db8::1]/c", allowInsecureLoopback: false).serverName == nil)
    }

    @Test func metadataURLShape() {
        #expect(ClientMetadataFetcher.isMetadataURL("https://claude.ai/oauth/claude-code-client-metadata"))
        #expect(ClientMetadataFetcher.isMetadataURL("http://127.0.0.1:3000/client.json"))
        #expect(!ClientMetadataFetcher.isMetadataURL("dgc_4f9a2b7c"))
        #expect(!ClientMetadataFetcher.isMetadataURL("3f1d2c4e-0000-4000-8000-000000000000"))
        #expect(!ClientMetadataFetcher.isMetadataURL(""))
    }
}
