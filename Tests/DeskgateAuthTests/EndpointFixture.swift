import DeskgateConfig
import DeskgateCrypto
import DeskgateHTTP
import DeskgateJSON
import DeskgateTesting
import Foundation
@testable import DeskgateAuth
import DeskgateDesk
import DeskgateModel
import DeskgateIdentity
import DeskgateStore

/// The whole authorization server's router on a temporary database, driven in process: tenant
/// acme, agent dana who can sign in, a signing key, and a registered public client.
final class EndpointFixture {
    let directory = NSTemporaryDirectory() + "deskgate-endpoints-\(UUID().uuidString)"
    let database: Database
    let service: AuthService
    let tenant: Tenant
    let client: OAuthClient
    let http: InProcessClient
    static let redirect = "http://127.0.0.1/cb"
    static let password = "correct horse battery staple"

    init(reuseGraceSeconds: Int = 10) throws {
        database = try Database.open(path: directory + "/db.sqlite")
        tenant = try TenantService(database: database).create(slug: "acme", name: "Acme Support")
        _ = try DirectoryService(database: database, scope: tenant.scope)
            .createAgent(AgentDraft(email: "dana@acme.test", name: "Dana", role: .agent, password: Self.password))
        var configuration = DeskgateConfiguration()
        configuration.keysDirectory = directory + "/keys"
        configuration.oauth.refreshReuseGraceSeconds = reuseGraceSeconds
        // The real 60 s: a loaded machine once held a test longer than that between its code and
        // the redemption ("authorization code has expired"). Expiry is tested as a rule
        // (OAuthRulesTests), not by waiting here.
        configuration.oauth.authorizationCodeLifetimeSeconds = 600
        _ = try SigningKeyService(database: database, directory: configuration.keysDirectory).ensureKey()
        service = AuthService(storage: Storage(database), configuration: configuration)
        let registration = ClientRegistration(redirectURIs: [Self.redirect], tokenEndpointAuthMethod: "none",
                                              grantTypes: ["authorization_code", "refresh_token"], applicationType: "native")
        client = try service.registry.register(registration, tenant: tenant.scope).get().client
        let router = Router()
        AuthServer.install(service, on: router)
        http = InProcessClient(router: router)
    }

    deinit {
        database.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var issuer: String { service.urls.issuer("acme") }

    /// Dana's session cookie, as the browser sends it.
    func signedIn() throws -> (String, String) {
        guard case .success(let cookie, _) = try service.sessions.signIn(
            email: "dana@acme.test", password: Self.password, tenant: tenant.scope, address: "127.0.0.1", userAgent: nil) else {
            throw DeskError.forbidden("sign-in failed")
        }
        return ("Cookie", "\(service.cookies("acme").sessionName)=\(cookie)")
    }

    /// Dana approved this client before (the remembered consent).
    func approveBefore(verifier: String) throws -> String {
        let user = try database.withReader { try tenant.scope.users.byEmail("dana@acme.test", on: $0) }!
        let request = ApprovedRequest(clientID: client.clientID, redirectURI: Self.redirect,
                                      codeChallenge: PKCE.challengeS256(for: verifier),
                                      resource: service.urls.resource("acme"), scopes: [.ticketsRead])
        return try service.grants.approve(request, userID: user.id, tenant: tenant.scope, address: nil)
    }

    /// `/oauth/authorize` with a valid request for this client, after `changes` (nil drops a parameter).
    func authorizeTarget(verifier: String, _ changes: [String: String?] = [:]) -> String {
        var pairs: [(String, String)] = [("response_type", "code"), ("client_id", client.clientID), ("redirect_uri", Self.redirect),
                                         ("code_challenge", PKCE.challengeS256(for: verifier)),
                                         ("code_challenge_method", "S256"), ("state", "st1")]
        for (name, value) in changes {
            pairs.removeAll { $0.0 == name }
            if let value { pairs.append((name, value)) }
        }
        return "/t/acme/oauth/authorize?" + FormURLEncoding.encode(pairs)
    }

    /// The response's query parameters (of its Location).
    static func redirectParameters(_ response: Response) -> [String: String] {
        guard let location = response.headers["location"], let query = location.split(separator: "?", maxSplits: 1).last
        else { return [:] }
        return Dictionary(FormURLEncoding.decode(String(query)).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    func token(_ form: [(String, String)]) async throws -> (status: Int, body: JSONObject) {
        let response = try await http.post("/t/acme/oauth/token", form: [("client_id", client.clientID)] + form)
        let body = try JSONParser.parse(response.bodyText).objectValue ?? JSONObject([])
        return (response.status.code, body)
    }
}
