import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateStore
import DeskgateModel
import DeskgateSystem

/// `GET /t/{tenant}/oauth/authorize` (OAuth 2.1 §4.1.1 with PKCE, RFC 8707, RFC 9207).
///
/// Order matters: until the client and its redirect URI are known to belong together,
/// nothing is redirected (an error page instead: no open redirector). After that every
/// outcome goes back to the client with `state` and `iss`.
struct AuthorizeEndpoint {
    let service: AuthService

    func install(on router: Router) {
        // GET is the norm; POST (form-encoded, OAuth 2.1 §4.1.1 allows it) takes the same parameters.
        router.add(["GET", "POST"], "/t/{tenant}/oauth/authorize") { request, context in
            context.offload { try self.authorize(request) }
        }
    }

    /// `redirect_uri` with the response parameters appended (it may carry a query of its own).
    static func location(_ redirectURI: String, _ parameters: [(String, String)]) -> String {
        redirectURI + (redirectURI.contains("?") ? "&" : "?") + FormURLEncoding.encode(parameters)
    }

    static func errorPage(_ title: String, _ message: String, tenant: Tenant?, status: HTTPStatus = .badRequest) -> Response {
        SecurityHeaders.html(ErrorPage(title: title, message: message, tenantName: tenant?.name).render(), status: status)
    }

    private func authorize(_ request: Request) throws -> Response {
        let slug = request.parameter("tenant")
        let query = request.method == "POST" ? FormFields.body(of: request) ?? FormFields([]) : FormFields(query: request)
        let tenant: Tenant
        switch TenantPages.open(try service.database.withReader { try TenantGate().decide(slug, on: $0) }) {
        case .failure(let refusal): return refusal.response
        case .success(let open): tenant = open
        }
        if let name = query.repeated, ["client_id", "redirect_uri"].contains(name) {
            return Self.errorPage("Invalid request", "The parameter \(name) was sent more than once.", tenant: tenant)
        }
        guard let clientID = query["client_id"] else {
            return Self.errorPage("Invalid request", "The app did not say who it is (client_id is missing).", tenant: tenant)
        }
        let resolved: ResolvedClient
        switch try resolveClient(clientID, tenant: tenant) {
        case .failure(let refusal): return refusal.response
        case .success(let client): resolved = client
        }
        let client = resolved.client
        guard let redirectURI = query["redirect_uri"] else {
            return Self.errorPage("Invalid request", "The app did not send a redirect_uri.", tenant: tenant)
        }
        guard RedirectURIPolicy.matches(redirectURI, registered: client.redirectURIs) else {
            return Self.errorPage("Redirect not allowed",
                                  "The app asked to send you to an address it did not register. Nothing was sent.",
                                  tenant: tenant)
        }

        // From here on, errors go back to the verified redirect URI.
        let issuer = service.urls.issuer(slug)
        let state = query["state"]
        func back(_ failure: OAuthFailure) -> Response {
            var parameters = [("error", failure.code), ("error_description", failure.description)]
            if let state { parameters.append(("state", state)) }
            parameters.append(("iss", issuer))
            return SecurityHeaders.redirect(to: Self.location(redirectURI, parameters), status: .found)
        }
        if let name = query.repeated { return back(.invalidRequest("the parameter \(name) was sent more than once")) }
        guard query["response_type"] == "code" else {
            return back(OAuthFailure("unsupported_response_type", "only response_type=code is supported"))
        }
        guard let challenge = query["code_challenge"] else {
            return back(.invalidRequest("PKCE is required: send code_challenge with code_challenge_method=S256"))
        }
        guard query["code_challenge_method"] == "S256" else {
            return back(.invalidRequest("code_challenge_method must be S256 (plain is not allowed)"))
        }
        guard challenge.utf8.count == 43, challenge.utf8.allSatisfy({ Self.isBase64URL($0) }) else {
            return back(.invalidRequest("code_challenge must be the base64url SHA-256 of the verifier (43 characters)"))
        }
        guard client.grantTypes.contains("authorization_code") else {
            return back(.unauthorizedClient("this client may not use the authorization code grant"))
        }
        // Compared canonically (clients vary in case and trailing slashes), stored as configured,
        // so `aud` is exactly the resource string the resource server compares with.
        let resource = service.urls.resource(slug)
        if let asked = query["resource"] {
            if let problem = ResourceIndicator.problem(asked) { return back(.invalidTarget(problem)) }
            guard ResourceIndicator.canonical(asked) == ResourceIndicator.canonical(resource) else {
                return back(.invalidTarget("this authorization server issues tokens only for \(service.urls.resource(slug))"))
            }
        }

        let session = try service.database.withReader { try service.signedIn(request, tenant: tenant, on: $0) }
        guard let session else {
            if query["prompt"] == "none" { return back(OAuthFailure("login_required", "the user is not signed in")) }
            // After sign-in the browser comes back with a GET carrying the same parameters.
            let original = request.method == "POST"
                ? request.path + "?" + FormURLEncoding.encode(query.values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
                : request.path + (request.query.map { "?" + $0 } ?? "")
            return SecurityHeaders.redirect(to: "/t/\(slug)/login?next=" + FormURLEncoding.escape(original))
        }
        let scopes: Set<Scope>
        switch ScopePolicy.narrow(requested: query["scope"], clientRegistered: client.scope, role: session.user.role) {
        case .failure(let failure): return back(failure)
        case .success(let granted): scopes = granted
        }
        let approved = ApprovedRequest(clientID: client.clientID, redirectURI: redirectURI, codeChallenge: challenge,
                                       resource: resource, scopes: scopes)
        if query["prompt"] != "consent", query["prompt"] != "login",
           let code = try service.grants.issueRemembered(approved, userID: session.user.id, tenant: tenant.scope) {
            var parameters = [("code", code)]
            if let state { parameters.append(("state", state)) }
            parameters.append(("iss", issuer))
            return SecurityHeaders.redirect(to: Self.location(redirectURI, parameters), status: .found)
        }
        if query["prompt"] == "none" { return back(OAuthFailure("consent_required", "the user has not approved this app")) }
        let pending = PendingAuthorization(slug: slug, sessionID: session.sessionID, request: approved, state: state,
                                           appName: resolved.displayName, isMetadataDocument: client.kind == .cimd,
                                           createdAt: WallClock.milliseconds())
        let id = service.pending.add(pending)
        return ConsentEndpoint.page(pending, id: id, tenant: tenant, session: session)
    }

    struct ResolvedClient {
        let client: OAuthClient
        var displayName: String { client.name.isEmpty ? client.clientID : client.name }
    }

    /// A registered client, or a metadata document (cached while fresh, else fetched).
    private func resolveClient(_ clientID: String, tenant: Tenant) throws -> Result<ResolvedClient, Refusal> {
        let resolver = ClientResolver(database: service.database, registry: service.registry, source: service.metadataSource)
        switch try resolver.resolve(clientID, tenant: tenant.scope) {
        case .found(let client):
            return .success(ResolvedClient(client: client))
        case .unknown:
            return .failure(Refusal(Self.errorPage("Unknown app", "This app is not registered with \(tenant.name).",
                                                   tenant: tenant)))
        case .unavailable(let reason):
            return .failure(Refusal(Self.errorPage("App metadata unavailable",
                                                   "The app's metadata document could not be used: \(reason)", tenant: tenant)))
        }
    }

    static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"): return true
        default: return false
        }
    }
}
