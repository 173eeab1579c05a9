import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateModel
import DeskgateSystem

/// `GET /t/{tenant}/oauth/authorize`: HTTP in, `AuthorizationRequest` and `AuthorizationProgress`
/// decide, HTTP out. The rules and their order live in those values; here are only the lookups
/// they need (tenant, client, session, remembered grant) and the pages and redirects they ask for.
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

    static func redirect(_ back: AuthorizationReturn, _ outcome: AuthorizationOutcome) -> Response {
        SecurityHeaders.redirect(to: location(back.redirectURI, back.parameters(outcome)), status: .found)
    }

    static func errorPage(_ title: String, _ message: String, tenant: Tenant?, status: HTTPStatus = .badRequest) -> Response {
        SecurityHeaders.html(ErrorPage(title: title, message: message, tenantName: tenant?.name).render(), status: status)
    }

    static func errorPage(_ page: AuthorizationErrorPage, tenant: Tenant) -> Response {
        errorPage(page.title, page.message(tenantName: tenant.name), tenant: tenant)
    }

    static func notAllowed(_ appName: String, tenant: Tenant) -> Response {
        let page = AuthorizationErrorPage.appNotAllowed(appName: appName)
        return errorPage(page.title, page.message(tenantName: tenant.name), tenant: tenant, status: .forbidden)
    }

    private func authorize(_ request: Request) throws -> Response {
        let slug = request.parameter("tenant")
        let fields = request.method == "POST" ? FormFields.body(of: request) ?? FormFields([]) : FormFields(query: request)
        let parameters = AuthorizationParameters(values: fields.values, repeated: fields.repeated)
        let tenant: Tenant
        switch TenantPages.open(try service.storage.withReader { try TenantGate().decide(slug, on: $0) }) {
        case .failure(let refusal): return refusal.response
        case .success(let open): tenant = open
        }
        let clientID: String
        switch AuthorizationRequest.clientID(in: parameters) {
        case .failure(let page): return Self.errorPage(page, tenant: tenant)
        case .success(let id): clientID = id
        }
        // The tenant admin's allowed apps: a metadata document URL is judged before it is
        // fetched (its host decides); a registered client once it is known, by its name.
        let policy = MCPSettings(settingsJSON: tenant.settingsJSON)
        if clientID.hasPrefix("https://"), !policy.allowsApp(clientID: clientID) {
            return Self.notAllowed(clientID, tenant: tenant)
        }
        let client: OAuthClient
        let resolver = ClientResolver(storage: service.storage, registry: service.registry, source: service.metadataSource)
        switch try resolver.resolve(clientID, tenant: tenant) {
        case .found(let found): client = found
        case .unknown: return Self.errorPage(.unknownClient, tenant: tenant)
        case .unavailable(let reason): return Self.errorPage(.clientMetadataUnavailable(reason), tenant: tenant)
        }
        guard policy.allowsApp(clientID: client.clientID) else {
            return Self.notAllowed(client.name.isEmpty ? client.clientID : client.name, tenant: tenant)
        }
        let authorization: AuthorizationRequest
        // On the tenant's own host the issuer and the resource are that host's (issue 20).
        let host = request.routedHost
        switch AuthorizationRequest.validate(parameters, client: client, issuer: service.urls.issuer(slug, host: host),
                                             resource: service.urls.resource(slug, host: host)) {
        case .refused(let decision): return try answer(decision, to: request, fields, tenant: tenant, session: nil, authorization: nil)
        case .valid(let valid): authorization = valid
        }
        let session = try service.storage.withReader { try service.signedIn(request, tenant: tenant, on: $0) }
        var progress = AuthorizationProgress(authorization)
        var decision = progress.browserIdentified(role: session?.user.role)
        if case .issueCode(let approved, .remembered) = decision, let session {
            let code = try service.grants.issueRemembered(approved, userID: session.user.id, tenant: tenant)
            decision = progress.rememberedConsentChecked(code: code)
        }
        return try answer(decision, to: request, fields, tenant: tenant, session: session, authorization: authorization)
    }

    /// The page or redirect a decision asks for; a consent page first parks the request in the pending store.
    private func answer(_ decision: AuthorizationDecision, to request: Request, _ fields: FormFields, tenant: Tenant,
                        session: SignedIn?, authorization: AuthorizationRequest?) throws -> Response {
        switch decision {
        case .errorPage(let page):
            return Self.errorPage(page, tenant: tenant)
        case .redirect(let back, let outcome):
            return Self.redirect(back, outcome)
        case .needsLogin:
            // After sign-in the browser comes back with a GET carrying the same parameters.
            let site = TenantSite(request)
            let path = site.browserPath(request.path)
            let original = request.method == "POST"
                ? path + "?" + FormURLEncoding.encode(fields.values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
                : path + (request.query.map { "?" + $0 } ?? "")
            return SecurityHeaders.redirect(to: site.prefix + "/login?next=" + FormURLEncoding.escape(original))
        case .needsConsent(let approved):
            guard let session, let authorization else { preconditionFailure("consent without a session and a request") }
            let pending = PendingAuthorization(slug: tenant.slug, sessionID: session.sessionID, request: approved,
                                               state: authorization.returnAddress.state, appName: authorization.appName,
                                               isMetadataDocument: authorization.client.kind == .cimd,
                                               createdAt: WallClock.milliseconds())
            let id = try service.pending.add(pending)
            return ConsentEndpoint.page(pending, id: id, tenant: tenant, session: session, site: TenantSite(request))
        case .issueCode:
            preconditionFailure("the progress asks for a code only after a session was found")
        }
    }
}
