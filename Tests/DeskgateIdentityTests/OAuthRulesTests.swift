import DeskgateCrypto
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateModel

/// The pure rules of the authorization server, as tables: each row an input and the exact outcome.
struct RedirectURIPolicyTests {
    static let registered = ["http://127.0.0.1/callback", "http://localhost:8080/cb", "https://app.example.com/cb",
                             "https://app.example.com/cb?tenant=a", "com.example.app:/oauth", "http://[::1]/cb"]

    @Test(arguments: [
        ("http://127.0.0.1/callback", true),
        ("http://127.0.0.1:54321/callback", true),          // RFC 8252 §7.3: any port on loopback
        ("http://localhost/cb", true),                        // registered with a port, used without
        ("http://localhost:1/cb", true),
        ("http://[::1]:9999/cb", true),
        ("https://app.example.com/cb", true),
        ("https://app.example.com/cb?tenant=a", true),
        ("com.example.app:/oauth", true),
        ("http://127.0.0.1:54321/callback/x", false),       // path must match exactly
        ("http://127.0.0.1:54321/callback?x=1", false),
        ("http://localhost/callback", false),               // localhost and 127.0.0.1 are different hosts
        ("http://127.0.0.1.evil.example/callback", false),
        ("https://app.example.com:443/cb", false),          // non-loopback: exact string comparison
        ("https://app.example.com/cb/", false),
        ("https://APP.example.com/cb", false),
        ("https://app.example.com/cb?tenant=b", false),
        ("https://app.example.com:8443/cb", false),
        ("http://app.example.com/cb", false),
        ("http://127.0.0.1:54321/callback#frag", false),
        ("http://user@127.0.0.1:1/callback", false),
        ("com.example.app:/oauth2", false),
    ])
    func matching(uri: String, expected: Bool) {
        #expect(RedirectURIPolicy.matches(uri, registered: Self.registered) == expected)
    }

    @Test(arguments: [
        ("https://app.example.com/cb", false, nil as String?),
        ("http://127.0.0.1/cb", false, nil),
        ("http://127.0.0.1:3000/cb", false, nil),
        ("http://localhost/cb", false, nil),
        ("http://[::1]:8080/cb", false, nil),
        ("com.example.app:/oauth", true, nil),
        ("vscode://publisher.ext/cb", true, nil),
        ("com.example.app:/oauth", false, "application_type"),
        ("http://app.example.com/cb", false, "loopback"),
        ("http://10.0.0.1/cb", false, "loopback"),
        ("https://app.example.com/cb#x", false, "fragment"),
        ("https://user:pw@app.example.com/cb", false, "user information"),
        ("javascript:alert(1)", true, "scheme"),
        ("data:text/html,hi", true, "scheme"),
        ("file:///etc/passwd", true, "scheme"),
        ("https:///nohost", false, "host"),
        ("not a uri", false, "absolute"),
        ("/relative/cb", false, "absolute"),
    ])
    func registration(uri: String, native: Bool, problem: String?) {
        let found = RedirectURIPolicy.registrationProblem(uri, native: native)
        if let problem {
            #expect(found?.contains(problem) == true, "\(uri): \(found ?? "accepted")")
        } else {
            #expect(found == nil, "\(uri): \(found ?? "")")
        }
    }
}

struct ScopePolicyTests {
    @Test(arguments: [
        // requested, client registered, role → granted (or the error code)
        (nil as String?, "", UserRole.admin, "tickets:read tickets:write directory:read"),
        ("", "", .agent, "tickets:read tickets:write directory:read"),
        (nil, "", .viewer, "tickets:read directory:read"),
        ("tickets:read tickets:write", "", .viewer, "tickets:read"),
        ("tickets:write", "", .viewer, "invalid_scope"),
        ("tickets:read openid offline_access", "", .agent, "tickets:read"),
        ("openid offline_access", "", .agent, "invalid_scope"),
        (nil, "tickets:read", .admin, "tickets:read"),
        ("directory:read", "tickets:read", .admin, "invalid_scope"),
        ("tickets:read directory:read", "tickets:read tickets:write", .viewer, "tickets:read"),
        (nil, "tickets:write", .viewer, "invalid_scope"),
    ])
    func narrowing(requested: String?, registered: String, role: UserRole, expected: String) {
        switch ScopePolicy.narrow(requested: requested, clientRegistered: registered, role: role) {
        case .success(let scopes): #expect(scopes.text == expected)
        case .failure(let failure): #expect(failure.code == expected)
        }
    }
}

struct RotationRulesTests {
    static let now: Int64 = 1_000_000

    @Test(arguments: [
        // rotatedAt, revokedAt, expiresAt, grace → decision
        (nil as Int64?, nil as Int64?, now + 1, Int64(10_000), RefreshRotation.rotate),
        (nil, nil, now, 10_000, .expired),
        (nil, now - 5, now + 1, 10_000, .revoked),
        (now - 3_000, nil, now + 1, 10_000, .concurrentSibling),
        (now - 10_000, nil, now + 1, 10_000, .concurrentSibling),   // the window includes its edge
        (now - 10_001, nil, now + 1, 10_000, .reuseDetected),
        (now, nil, now + 1, 0, .reuseDetected),                     // grace 0: any reuse revokes
        (now - 1, now - 1, now + 1, 10_000, .revoked),
    ])
    func refresh(rotatedAt: Int64?, revokedAt: Int64?, expiresAt: Int64, grace: Int64, expected: RefreshRotation) {
        #expect(RefreshRotation.decide(rotatedAt: rotatedAt, revokedAt: revokedAt, expiresAt: expiresAt, now: Self.now,
                                       graceMilliseconds: grace) == expected)
    }

    @Test func codes() {
        #expect(CodeRedemption.decide(usedAt: nil, expiresAt: Self.now + 1, now: Self.now) == .redeem)
        #expect(CodeRedemption.decide(usedAt: nil, expiresAt: Self.now, now: Self.now) == .expired)
        #expect(CodeRedemption.decide(usedAt: Self.now - 1, expiresAt: Self.now + 1, now: Self.now) == .replayed)
        #expect(CodeRedemption.decide(usedAt: Self.now - 1, expiresAt: Self.now - 1, now: Self.now) == .replayed)
    }

    @Test(arguments: [
        ("http://127.0.0.1:8002/t/acme/mcp", "http://127.0.0.1:8002/t/acme/mcp"),
        ("HTTP://127.0.0.1:8002/t/acme/mcp/", "http://127.0.0.1:8002/t/acme/mcp"),
        ("https://MCP.Example.com/t/acme/mcp#x", "https://mcp.example.com/t/acme/mcp"),
        ("https://mcp.example.com/T/acme/mcp", "https://mcp.example.com/T/acme/mcp"),   // paths are case-sensitive
    ])
    func resourceIndicators(given: String, canonical: String) {
        #expect(ResourceIndicator.canonical(given) == canonical)
    }
}

struct RegistrationValidationTests {
    @Test func defaultsFollowRFC7591() throws {
        let validated = try ClientRegistration(redirectURIs: ["https://a.example/cb"]).validated().get()
        #expect(validated.tokenEndpointAuthMethod == "client_secret_basic")
        #expect(validated.grantTypes == ["authorization_code"])
        #expect(validated.applicationType == .web)
    }

    @Test func equalRequestsGiveEqualMetadata() throws {
        let request = ClientRegistration(redirectURIs: ["http://127.0.0.1/cb"], tokenEndpointAuthMethod: "none",
                                         grantTypes: ["authorization_code", "refresh_token"], clientName: "  Tool ",
                                         scope: "tickets:read openid", applicationType: "native")
        let first = try request.validated().get()
        #expect(first.metadataJSON == (try request.validated().get()).metadataJSON)
        #expect(first.name == "Tool")
        #expect(first.metadataJSON.contains(#""scope":"tickets:read""#))
        var other = request
        other.clientName = "Another tool"
        #expect(try other.validated().get().metadataJSON != first.metadataJSON)
    }

    @Test(arguments: [
        (ClientRegistration(redirectURIs: []), "invalid_redirect_uri"),
        (ClientRegistration(redirectURIs: ["http://evil.example/cb"]), "invalid_redirect_uri"),
        (ClientRegistration(redirectURIs: ["https://a.example/cb"], tokenEndpointAuthMethod: "private_key_jwt"), "invalid_client_metadata"),
        (ClientRegistration(redirectURIs: ["https://a.example/cb"], grantTypes: ["client_credentials"]), "invalid_client_metadata"),
        (ClientRegistration(redirectURIs: ["https://a.example/cb"], responseTypes: ["code", "token"]), "invalid_client_metadata"),
        (ClientRegistration(redirectURIs: ["https://a.example/cb"], logoURI: "http://a.example/logo.png"), "invalid_client_metadata"),
    ])
    func refusals(request: ClientRegistration, code: String) {
        guard case .failure(let failure) = request.validated() else {
            Issue.record("accepted")
            return
        }
        #expect(failure.code == code)
    }

    @Test func pkceS256() {
        // RFC 7636 appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        #expect(PKCE.verifyS256(verifier: verifier, challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        #expect(!PKCE.verifyS256(verifier: "e" + verifier.dropFirst(), challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        #expect(!PKCE.verifyS256(verifier: "short", challenge: PKCE.challengeS256(for: "short")))
    }
}
