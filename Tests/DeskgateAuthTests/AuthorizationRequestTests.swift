import DeskgateDesk
import DeskgateModel
import DeskgateIdentity
import DeskgateStore
import Foundation
import Testing

/// The authorization endpoint's rules as a table, without HTTP: parameters in, the exact
/// decision out, each error code and description as clients see them.
struct AuthorizationRequestTests {
    static let issuer = "http://auth.test/t/acme"
    static let resource = "http://mcp.test/t/acme/mcp"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    /// A registered client (https and loopback redirects), one limited to `tickets:read`, and a
    /// metadata-document client without the authorization code grant.
    struct Clients: Sendable {
        let app: OAuthClient
        let readOnly: OAuthClient
        let refreshOnly: OAuthClient
    }

    static let clients: Clients = {
        let directory = NSTemporaryDirectory() + "deskgate-authreq-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let database = try Database.open(path: directory + "/db.sqlite")
            defer { database.close() }
            let tenant = try TenantService(database: database).create(slug: "acme", name: "Acme")
            let registry = ClientRegistry(database: database)
            let app = try registry.register(ClientRegistration(redirectURIs: ["https://app.example/cb", "http://127.0.0.1/callback"],
                                                               tokenEndpointAuthMethod: "none"), tenant: tenant.scope)
            let readOnly = try registry.register(ClientRegistration(redirectURIs: ["https://app.example/cb"],
                                                                    tokenEndpointAuthMethod: "none", scope: "tickets:read"),
                                                 tenant: tenant.scope)
            return Clients(
                app: try app.get().client,
                readOnly: try readOnly.get().client,
                refreshOnly: try registry.storeDocument(clientID: "https://app.example/client.json", name: "Doc",
                                                        redirectURIs: ["https://app.example/cb"], grantTypes: ["refresh_token"],
                                                        scope: nil, maxAgeSeconds: 60, tenant: tenant.scope))
        } catch {
            fatalError("fixture: \(error)")
        }
    }()

    static func parameters(_ pairs: [(String, String)]) -> AuthorizationParameters {
        var values: [String: String] = [:]
        var repeated: String?
        for (name, value) in pairs {
            if values[name] != nil { repeated = repeated ?? name }
            values[name] = value
        }
        return AuthorizationParameters(values: values, repeated: repeated)
    }

    /// A complete, valid request; `changes` replace (value) or drop (nil) parameters, `extra` are appended.
    static func request(_ changes: [String: String?] = [:], extra: [(String, String)] = [],
                        client: OAuthClient = clients.app) -> AuthorizationParameters {
        var pairs: [(String, String)] = [("client_id", client.clientID), ("redirect_uri", "https://app.example/cb"),
                                         ("response_type", "code"), ("code_challenge", challenge),
                                         ("code_challenge_method", "S256"), ("state", "xyz")]
        for (name, value) in changes {
            if let index = pairs.firstIndex(where: { $0.0 == name }) {
                if let value { pairs[index].1 = value } else { pairs.remove(at: index) }
            } else if let value {
                pairs.append((name, value))
            }
        }
        return parameters(pairs + extra)
    }

    static func back(_ redirectURI: String = "https://app.example/cb", state: String? = "xyz") -> AuthorizationReturn {
        AuthorizationReturn(redirectURI: redirectURI, state: state, issuer: issuer)
    }

    static func refused(_ code: String, _ description: String, state: String? = "xyz") -> AuthorizationDecision {
        .redirect(back(state: state), .error(OAuthFailure(code, description)))
    }

    // MARK: before the client is known: pages only

    @Test(arguments: [
        ("repeated client_id", [("client_id", "a"), ("client_id", "b")], Result<String, AuthorizationErrorPage>.failure(.repeatedParameter("client_id"))),
        ("repeated redirect_uri", [("client_id", "a"), ("redirect_uri", "x"), ("redirect_uri", "y")], .failure(.repeatedParameter("redirect_uri"))),
        ("missing client_id", [("redirect_uri", "x")], .failure(.missingClientID)),
        ("empty client_id", [("client_id", "")], .failure(.missingClientID)),
        // Any other repeated name waits until the redirect URI is trusted, then goes back to the client.
        ("repeated state", [("client_id", "a"), ("state", "1"), ("state", "2")], .success("a")),
    ])
    func clientID(_ name: String, _ pairs: [(String, String)], _ expected: Result<String, AuthorizationErrorPage>) {
        #expect(AuthorizationRequest.clientID(in: Self.parameters(pairs)) == expected, "\(name)")
    }

    // MARK: once the client is known

    static let challengeRule = "code_challenge must be the base64url SHA-256 of the verifier (43 characters)"

    static let validationRows: [(String, AuthorizationParameters, OAuthClient, AuthorizationDecision?)] = [
        ("missing redirect_uri", request(["redirect_uri": nil]), clients.app, .errorPage(.missingRedirectURI)),
        ("unregistered redirect_uri", request(["redirect_uri": "https://evil.example/cb"]), clients.app,
         .errorPage(.unregisteredRedirectURI)),
        ("another path", request(["redirect_uri": "https://app.example/cb/2"]), clients.app, .errorPage(.unregisteredRedirectURI)),
        ("loopback on any port (RFC 8252 §7.3)", request(["redirect_uri": "http://127.0.0.1:53682/callback"]), clients.app, nil),
        ("repeated state", request(extra: [("state", "again")]), clients.app,
         .redirect(back(state: "again"), .error(.invalidRequest("the parameter state was sent more than once")))),
        ("no response_type", request(["response_type": nil]), clients.app,
         refused("unsupported_response_type", "only response_type=code is supported")),
        ("implicit", request(["response_type": "token"]), clients.app,
         refused("unsupported_response_type", "only response_type=code is supported")),
        ("response_type wins over PKCE", request(["response_type": "token", "code_challenge": nil]), clients.app,
         refused("unsupported_response_type", "only response_type=code is supported")),
        ("no PKCE", request(["code_challenge": nil]), clients.app,
         refused("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256")),
        ("no method", request(["code_challenge_method": nil]), clients.app,
         refused("invalid_request", "code_challenge_method must be S256 (plain is not allowed)")),
        ("plain", request(["code_challenge_method": "plain"]), clients.app,
         refused("invalid_request", "code_challenge_method must be S256 (plain is not allowed)")),
        ("short challenge", request(["code_challenge": String(challenge.dropLast())]), clients.app,
         refused("invalid_request", challengeRule)),
        ("not base64url", request(["code_challenge": "+" + challenge.dropFirst()]), clients.app,
         refused("invalid_request", challengeRule)),
        ("no state: none sent back", request(["state": nil, "code_challenge_method": "plain"]), clients.app,
         refused("invalid_request", "code_challenge_method must be S256 (plain is not allowed)", state: nil)),
        ("client without the code grant", request(client: clients.refreshOnly), clients.refreshOnly,
         refused("unauthorized_client", "this client may not use the authorization code grant")),
        ("resource with a fragment", request(["resource": resource + "#x"]), clients.app,
         refused("invalid_target", "resource must be an absolute URI without a fragment")),
        ("relative resource", request(["resource": "/t/acme/mcp"]), clients.app,
         refused("invalid_target", "resource must be an absolute URI without a fragment")),
        ("another resource", request(["resource": "http://mcp.test/t/other/mcp"]), clients.app,
         refused("invalid_target", "this authorization server issues tokens only for \(resource)")),
        ("resource in another spelling", request(["resource": "HTTP://MCP.test/t/acme/mcp/"]), clients.app, nil),
    ]

    @Test func validation() {
        for (name, parameters, client, expected) in Self.validationRows {
            let outcome = AuthorizationRequest.validate(parameters, client: client, issuer: Self.issuer, resource: Self.resource)
            switch (outcome, expected) {
            case (.refused(let decision), let expected?):
                #expect(decision == expected, "\(name)")
            case (.valid(let request), nil):
                // The resource is the configured one, whatever spelling the client used.
                #expect(request.resource == Self.resource && request.codeChallenge == Self.challenge, "\(name)")
            default:
                Issue.record("\(name): \(outcome), expected \(String(describing: expected))")
            }
        }
    }

    // MARK: once the browser is known

    static func valid(_ changes: [String: String?] = [:], client: OAuthClient = clients.app) -> AuthorizationRequest {
        guard case .valid(let request) = AuthorizationRequest.validate(request(changes, client: client), client: client,
                                                                        issuer: issuer, resource: resource) else {
            fatalError("the base request is valid")
        }
        return request
    }

    static func approved(_ scopes: Scopes, client: OAuthClient = clients.app) -> ApprovedRequest {
        ApprovedRequest(clientID: client.clientID, redirectURI: "https://app.example/cb", codeChallenge: challenge,
                        resource: resource, scopes: scopes)
    }

    static let decisionRows: [(String, AuthorizationRequest, UserRole?, AuthorizationDecision)] = [
        ("signed out", valid(), nil, .needsLogin),
        ("signed out, prompt=none", valid(["prompt": "none"]), nil, refused("login_required", "the user is not signed in")),
        ("everything allowed", valid(), .admin, .issueCode(approved(Scopes.all), .remembered)),
        ("viewers read only", valid(), .viewer, .issueCode(approved([.ticketsRead, .directoryRead]), .remembered)),
        ("unknown names ignored", valid(["scope": "openid tickets:read"]), .agent, .issueCode(approved([.ticketsRead]), .remembered)),
        ("client's registered scope bounds", valid(client: clients.readOnly), .admin,
         .issueCode(approved([.ticketsRead], client: clients.readOnly), .remembered)),
        ("only unknown scopes", valid(["scope": "openid"]), .admin,
         refused("invalid_scope", "none of the requested scopes exist; valid scopes: tickets:read, tickets:write, directory:read")),
        ("beyond the role", valid(["scope": "tickets:write"]), .viewer,
         refused("invalid_scope", "none of the requested scopes may be granted to this app for this user")),
        ("prompt=consent asks again", valid(["prompt": "consent"]), .agent, .needsConsent(approved(Scopes.all))),
        ("prompt=login asks again", valid(["prompt": "login"]), .agent, .needsConsent(approved(Scopes.all))),
        ("prompt=none may use a remembered grant", valid(["prompt": "none"]), .agent, .issueCode(approved(Scopes.all), .remembered)),
    ]

    @Test func decisions() {
        for (name, request, role, expected) in Self.decisionRows {
            #expect(request.decide(signedIn: role) == expected, "\(name)")
        }
    }

    @Test func responseParametersKeepTheirOrder() {
        #expect(Self.back().parameters(.code("c")).map { "\($0.0)=\($0.1)" } == ["code=c", "state=xyz", "iss=\(Self.issuer)"])
        #expect(Self.back(state: nil).parameters(.error(.accessDenied("no"))).map { "\($0.0)=\($0.1)" }
            == ["error=access_denied", "error_description=no", "iss=\(Self.issuer)"])
    }
}
