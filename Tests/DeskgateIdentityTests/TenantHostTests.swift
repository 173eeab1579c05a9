import Foundation
import Testing
@testable import DeskgateIdentity
@testable import DeskgateStore
import DeskgateDesk
import DeskgateModel

/// Custom domains (issue 20): the host-name rule, the Host header → tenant mapping, the
/// routes a host's paths go to, the URLs built on a host, and the operator's service.
@Suite("Tenant host names")
struct TenantHostNameTests {
    @Test(arguments: [
        ("help.acme.example", "help.acme.example"),
        ("Help.ACME.Example", "help.acme.example"),
        ("a-b.c0.example", "a-b.c0.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("acme.example", "acme.example"),
    ])
    func valid(_ input: String, _ stored: String) throws {
        #expect(try TenantHostName.validate(input) == stored)
    }

    @Test(arguments: [
        ("", "is empty"),
        ("localhost", "at least two labels"),
        ("help.acme.example.", "must not end with a dot"),
        ("help.acme.example:8443", "port"),
        ("https://help.acme.example", "without scheme"),
        ("help.acme.example/mcp", "without scheme or path"),
        ("10.0.0.1", "IP address"),
        ("127.1", "IP address"),
        ("[::1]", "IPv6"),
        ("::1", "IPv6"),
        ("help..acme.example", "empty label"),
        ("-help.acme.example", "start or end with '-'"),
        ("help-.acme.example", "start or end with '-'"),
        ("help_desk.acme.example", "a-z, 0-9"),
        ("hélp.acme.example", "a-z, 0-9"),
        ("help acme.example", "a-z, 0-9"),
        (String(repeating: "a", count: 64) + ".example", "longer than 63"),
        (Array(repeating: String(repeating: "a", count: 60), count: 5).joined(separator: "."), "longer than 253"),
    ])
    func invalid(_ input: String, _ reason: String) {
        do {
            _ = try TenantHostName.validate(input)
            Issue.record("accepted \(input)")
        } catch let error as DeskError {
            guard case .invalid(let field, let message) = error else { Issue.record("\(error)"); return }
            #expect(field == "host")
            #expect(message.contains(reason), "\(input): \(message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test(arguments: [
        ("help.acme.example", "help.acme.example"),
        ("HELP.Acme.example:8443", "help.acme.example"),
        ("help.acme.example:", "help.acme.example"),
        ("help.acme.example:80x", nil),
        ("127.0.0.1:8001", nil),
        ("[::1]:8001", nil),
        ("localhost:8001", nil),
        ("help.acme.example.", nil),
        ("", nil),
    ] as [(String, String?)])
    func hostHeader(_ header: String, _ host: String?) {
        #expect(TenantHostName.fromHeader(header) == host)
    }
}

@Suite("Tenant host routes")
struct TenantHostRouteTests {
    @Test(arguments: [
        ("/mcp", "/t/acme/mcp"),
        ("/sse", "/t/acme/sse"),
        ("/messages", "/t/acme/messages"),
        ("/oauth/authorize", "/t/acme/oauth/authorize"),
        ("/oauth/token", "/t/acme/oauth/token"),
        ("/login", "/t/acme/login"),
        ("/profile/mcp", "/t/acme/profile/mcp"),
        ("/jwks.json", "/t/acme/jwks.json"),
        ("/.well-known/oauth-authorization-server", "/.well-known/oauth-authorization-server/t/acme"),
        ("/.well-known/openid-configuration", "/.well-known/openid-configuration/t/acme"),
        ("/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/t/acme/mcp"),
        ("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource/t/acme/mcp"),
        // Path URLs take precedence; the root and unknown well-known documents stay unmatched.
        ("/t/acme/mcp", nil),
        ("/t/globex/mcp", nil),
        ("/", nil),
        ("/.well-known/security.txt", nil),
        ("/.well-known/oauth-authorization-server/t/acme", nil),
        ("*", nil),
    ] as [(String, String?)])
    func route(_ path: String, _ routed: String?) {
        #expect(TenantHostRoute.path(path, slug: "acme") == routed)
    }
}

@Suite("Tenant host map")
struct TenantHostMapTests {
    static let hosts = ["help.acme.example": "acme", "support.globex.example": "globex"]

    @Test(arguments: [
        ("help.acme.example", "/mcp", "/t/acme/mcp", "help.acme.example"),
        ("help.acme.example:8002", "/mcp", "/t/acme/mcp", "help.acme.example"),
        ("HELP.ACME.EXAMPLE:8001", "/oauth/token", "/t/acme/oauth/token", "help.acme.example"),
        ("support.globex.example", "/.well-known/oauth-protected-resource/mcp",
         "/.well-known/oauth-protected-resource/t/globex/mcp", "support.globex.example"),
        ("unknown.example", "/mcp", nil, nil),
        ("127.0.0.1:8002", "/mcp", nil, nil),
        ("help.acme.example", "/t/globex/mcp", nil, nil),
        ("help.acme.example", "/", nil, nil),
    ] as [(String, String, String?, String?)])
    func mapping(_ header: String, _ path: String, _ routed: String?, _ host: String?) {
        let route = TenantHostMap.route(hostHeader: header, path: path) { Self.hosts[$0] }
        #expect(route?.path == routed)
        #expect(route?.host == host)
    }

    @Test func noHostHeaderPathURLsAndAddressesNeverAskForATenant() {
        var asked: [String] = []
        let slugFor: (String) -> String? = { asked.append($0); return Self.hosts[$0] }
        #expect(TenantHostMap.route(hostHeader: nil, path: "/mcp", slugFor: slugFor) == nil)
        #expect(TenantHostMap.route(hostHeader: "help.acme.example", path: "/t/acme/nothing-here", slugFor: slugFor) == nil)
        #expect(TenantHostMap.route(hostHeader: "10.1.2.3", path: "/mcp", slugFor: slugFor) == nil)
        #expect(TenantHostMap.route(hostHeader: "[::1]:8002", path: "/mcp", slugFor: slugFor) == nil)
        #expect(asked.isEmpty)
    }

    /// The freshness rule of the tenant cached with a principal: an entry, found or not, holds
    /// while the revocation counter stays where it was read (migration 21's triggers bump it).
    @Test func entriesHoldUnderTheirRevocationCounterValue() {
        let map = TenantHostMap()
        var table = Self.hosts
        var reads = 0
        func slug(_ host: String, _ generation: Int64) -> String? {
            map.slug(forHost: host, generation: generation) { reads += 1; return table[$0] }
        }
        #expect(slug("help.acme.example", 7) == "acme")
        #expect(slug("nobody.example", 7) == nil)
        #expect(slug("help.acme.example", 7) == "acme")
        #expect(slug("nobody.example", 7) == nil)
        #expect(reads == 2, "found and unknown hosts are both cached")
        // Removed (and another added): the change bumped the counter, so both are read again.
        table["help.acme.example"] = nil
        table["nobody.example"] = "acme"
        #expect(slug("help.acme.example", 8) == nil)
        #expect(slug("nobody.example", 8) == "acme")
        #expect(reads == 4)
    }

    @Test func aDatabaseFaultIsNotCached() throws {
        struct Down: Error {}
        let map = TenantHostMap()
        #expect(throws: Down.self) { try map.slug(forHost: "help.acme.example", generation: 1) { _ in throw Down() } }
        #expect(map.slug(forHost: "help.acme.example", generation: 1) { Self.hosts[$0] } == "acme")
    }

    /// Through the database: the triggers bump the counter, so a removal is seen at once.
    @Test func aRemovedHostIsGoneOnTheNextLookup() throws {
        let fixture = try TokenFixture()
        let storage = Storage(fixture.database)
        let hosts = TenantHosts(storage: storage)
        let map = TenantHostMap()
        _ = try hosts.add("help.acme.example", to: "acme")
        #expect(try storage.withReader { try map.slug(forHost: "help.acme.example", on: $0) } == "acme")
        #expect(try storage.withReader { try map.slug(forHost: "desk.acme.example", on: $0) } == nil)
        try hosts.remove("help.acme.example", from: "acme")
        _ = try hosts.add("desk.acme.example", to: "acme")
        #expect(try storage.withReader { try map.slug(forHost: "help.acme.example", on: $0) } == nil)
        #expect(try storage.withReader { try map.slug(forHost: "desk.acme.example", on: $0) } == "acme")
    }
}

@Suite("Tenant URLs on a host")
struct TenantHostURLTests {
    @Test(arguments: [
        // auth public URL, mcp public URL, issuer on the host, resource on the host, metadata on the host
        ("http://127.0.0.1:8001", "http://127.0.0.1:8002", "http://help.acme.example:8001",
         "http://help.acme.example:8002/mcp", "http://help.acme.example:8002/.well-known/oauth-protected-resource/mcp"),
        ("https://auth.deskgate.example", "https://mcp.deskgate.example", "https://help.acme.example",
         "https://help.acme.example/mcp", "https://help.acme.example/.well-known/oauth-protected-resource/mcp"),
        ("https://auth.deskgate.example:443", "http://mcp.deskgate.example:80", "https://help.acme.example",
         "http://help.acme.example/mcp", "http://help.acme.example/.well-known/oauth-protected-resource/mcp"),
        ("https://[::1]:8443/base", "HTTPS://mcp.deskgate.example:9443", "https://help.acme.example:8443",
         "https://help.acme.example:9443/mcp", "https://help.acme.example:9443/.well-known/oauth-protected-resource/mcp"),
        ("https://[::1]/x", "http://mcp.deskgate.example:8080/", "https://help.acme.example",
         "http://help.acme.example:8080/mcp", "http://help.acme.example:8080/.well-known/oauth-protected-resource/mcp"),
    ])
    func onHost(_ auth: String, _ mcp: String, _ issuer: String, _ resource: String, _ metadata: String) {
        let urls = TenantURLs(authBase: auth, mcpBase: mcp)
        #expect(urls.issuer("acme", host: "help.acme.example") == issuer)
        #expect(urls.resource("acme", host: "help.acme.example") == resource)
        #expect(urls.resourceMetadata("acme", host: "help.acme.example") == metadata)
    }

    @Test func pathURLsAreUnchanged() {
        let urls = TenantURLs(authBase: "http://127.0.0.1:8001", mcpBase: "http://127.0.0.1:8002")
        #expect(urls.issuer("acme") == "http://127.0.0.1:8001/t/acme")
        #expect(urls.resource("acme") == "http://127.0.0.1:8002/t/acme/mcp")
        #expect(urls.resourceMetadata("acme") == "http://127.0.0.1:8002/.well-known/oauth-protected-resource/t/acme/mcp")
        #expect(TenantURLs.pathPrefix("acme", host: nil) == "/t/acme")
        #expect(TenantURLs.pathPrefix("acme", host: "help.acme.example") == "")
    }
}

@Suite("Tenant hosts service")
struct TenantHostsServiceTests {
    @Test func addListRemoveAndTheErrors() throws {
        let fixture = try TokenFixture()
        let storage = Storage(fixture.database)
        let hosts = TenantHosts(storage: storage)
        let added = try hosts.add("Help.Acme.Example", to: "acme")
        #expect(added.host == "help.acme.example" && added.tenantSlug == "acme")
        #expect(try hosts.add("help.acme.example", to: "acme") == added, "adding again is a no-op")
        _ = try hosts.add("support.globex.example", to: "globex")
        #expect(try hosts.list().map(\.host) == ["help.acme.example", "support.globex.example"])
        #expect(try hosts.list(tenant: "globex").map(\.host) == ["support.globex.example"])
        #expect(try fixture.database.withReader { try TenantHostDirectory().tenant(forHost: "help.acme.example", on: $0)?.slug }
                == "acme")
        #expect(throws: DeskError.conflict("host 'help.acme.example' already belongs to tenant 'acme'")) {
            try hosts.add("help.acme.example", to: "globex")
        }
        #expect(throws: DeskError.notFound("tenant 'nobody'")) { try hosts.add("x.example", to: "nobody") }
        #expect(throws: DeskError.notFound("tenant 'nobody'")) { try hosts.list(tenant: "nobody") }
        #expect(throws: DeskError.self) { try hosts.add("10.0.0.1", to: "acme") }
        #expect(throws: DeskError.notFound("host 'help.acme.example' of tenant 'globex'")) {
            try hosts.remove("help.acme.example", from: "globex")
        }
        try hosts.remove("HELP.acme.example", from: "acme")
        #expect(try hosts.list(tenant: "acme").isEmpty)
        #expect(try fixture.database.withReader { try TenantHostDirectory().tenant(forHost: "help.acme.example", on: $0) } == nil)
        // Freed, the name can go to another tenant.
        #expect(try hosts.add("help.acme.example", to: "globex").tenantSlug == "globex")
    }
}

@Suite("Access tokens bound to a tenant host")
struct HostBoundAccessTokenTests {
    /// A token minted at the host (iss and aud on it) works there only; a path token works at
    /// the path URL only. Each check runs twice: the second answer comes from the caches.
    @Test func aTokenIsAcceptedOnlyAtTheURLItWasMintedFor() throws {
        let f = try AccessTokenFixture()
        let verifier = f.verifier()
        let host = "help.acme.example"
        let hostToken = try f.token(["iss": "https://\(host)", "aud": "https://\(host)/mcp"])
        let pathToken = try f.token()
        try f.database.withReader { reader in
            for _ in 0..<2 {
                #expect(try verifier.authenticate(hostToken, tenantSlug: "acme", host: host, on: reader).get().host == host)
                #expect(try verifier.authenticate(hostToken, tenantSlug: "acme", on: reader) == .failure(.wrongIssuer))
                #expect(try verifier.authenticate(hostToken, tenantSlug: "acme", host: "other.acme.example", on: reader)
                        == .failure(.wrongIssuer))
                #expect(try verifier.authenticate(pathToken, tenantSlug: "acme", host: host, on: reader) == .failure(.wrongIssuer))
                #expect(try verifier.authenticate(pathToken, tenantSlug: "acme", on: reader).get().host == nil)
            }
            // The host's issuer with the path's audience is refused too.
            let mixed = try f.token(["iss": "https://\(host)"])
            #expect(try verifier.authenticate(mixed, tenantSlug: "acme", host: host, on: reader) == .failure(.wrongAudience))
            // Another tenant's token at this host is still another tenant's.
            let globex = try f.token(["iss": "https://\(host)", "aud": "https://\(host)/mcp", "tenant": "globex"])
            #expect(try verifier.authenticate(globex, tenantSlug: "acme", host: host, on: reader) == .failure(.wrongTenant))
        }
    }
}
