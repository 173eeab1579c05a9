import DeskgateCrypto
import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateModel

/// `/t/{tenant}/consent`: the page (GET, for a pending request of this session) and the
/// decision (POST). The form must carry the session's CSRF token and a pending request made
/// for this same session; the request is completed once, approve or deny.
struct ConsentEndpoint {
    let service: AuthService

    func install(on router: Router) {
        router.get("/t/{tenant}/consent") { request, context in
            context.read(from: service.storage) { db in try self.show(request, on: db) }
        }
        router.post("/t/{tenant}/consent") { request, context in
            context.offload { try self.decide(request) }
        }
    }

    static func page(_ pending: PendingAuthorization, id: String, tenant: Tenant, session: SignedIn,
                     site: TenantSite) -> Response {
        let page = ConsentPage(slug: tenant.slug, tenantName: tenant.name, userEmail: session.user.email,
                               appName: pending.appName, clientID: pending.request.clientID,
                               isMetadataDocument: pending.isMetadataDocument, redirectURI: pending.request.redirectURI,
                               scopes: pending.request.scopes, csrf: session.csrf, requestID: id, prefix: site.prefix)
        return SecurityHeaders.html(page.render())
    }

    private func show(_ request: Request, on db: ReadHandle) throws -> Response {
        let slug = request.parameter("tenant")
        let tenant: Tenant
        switch TenantPages.open(try TenantGate().decide(slug, on: db)) {
        case .failure(let refusal): return refusal.response
        case .success(let open): tenant = open
        }
        guard let session = try service.signedIn(request, tenant: tenant, on: db) else {
            return AuthorizeEndpoint.errorPage("Signed out", "Sign in again and restart from the app.", tenant: tenant,
                                               status: .unauthorized)
        }
        guard let id = request.queryValue("request"),
              let pending = try service.pending.find(id, slug: slug, sessionID: session.sessionID) else {
            return AuthorizeEndpoint.errorPage("Request expired", "Restart the connection from the app.", tenant: tenant)
        }
        return Self.page(pending, id: id, tenant: tenant, session: session, site: TenantSite(request))
    }

    private func decide(_ request: Request) throws -> Response {
        let slug = request.parameter("tenant")
        let found = try service.storage.withReader { db -> Result<(Tenant, SignedIn?), Refusal> in
            switch TenantPages.open(try TenantGate().decide(slug, on: db)) {
            case .failure(let refusal): return .failure(refusal)
            case .success(let tenant): return .success((tenant, try service.signedIn(request, tenant: tenant, on: db)))
            }
        }
        let tenant: Tenant, signedIn: SignedIn?
        switch found {
        case .failure(let refusal): return refusal.response
        case .success(let pair): (tenant, signedIn) = pair
        }
        guard let session = signedIn else {
            return AuthorizeEndpoint.errorPage("Signed out", "Sign in again and restart from the app.", tenant: tenant,
                                               status: .unauthorized)
        }
        let fields = FormFields.body(of: request) ?? FormFields([])
        // CSRF first: a forged form must not even consume the pending request.
        guard let csrf = fields["csrf"], ConstantTime.equals(csrf, session.csrf) else {
            return AuthorizeEndpoint.errorPage("Form expired", "This approval form is not valid. Restart from the app.",
                                               tenant: tenant, status: .forbidden)
        }
        guard let decision = fields["decision"], decision == "approve" || decision == "deny" else {
            return AuthorizeEndpoint.errorPage("Invalid request", "Choose Approve or Deny.", tenant: tenant)
        }
        guard let id = fields["request"],
              let pending = try service.pending.complete(id, slug: slug, sessionID: session.sessionID) else {
            return AuthorizeEndpoint.errorPage("Request expired", "Restart the connection from the app.", tenant: tenant)
        }
        let back = AuthorizationReturn(redirectURI: pending.request.redirectURI, state: pending.state,
                                       issuer: service.urls.issuer(slug, host: request.routedHost))
        var progress = AuthorizationProgress(awaitingConsent: pending.request, returnTo: back)
        // The boxes of the scopes offered that came back ticked; a form without `offered` (a
        // client driving the page by hand) approves what was asked.
        let chosen = fields["offered"].map { offered in
            Scopes(names: offered.split(separator: " ").filter { fields["allow:" + $0] == "on" })
        }
        var next = progress.consentAnswered(approve: decision == "approve", allowing: chosen)
        if case .issueCode(let approved, .given) = next {
            // "Ask me before this app changes tickets": every write of the app waits for this person.
            let askFirst = fields["ask_first"] == "on" && approved.scopes.contains(.ticketsWrite)
            let code = try service.grants.approve(approved, userID: session.user.id, tenant: tenant,
                                                  address: request.remoteAddress, approval: askFirst ? .writes : nil)
            next = progress.codeIssued(code)
        }
        guard case .redirect(let target, let outcome) = next else { preconditionFailure("consent ends in a redirect") }
        return SecurityHeaders.redirect(to: AuthorizeEndpoint.location(target.redirectURI, target.parameters(outcome)))
    }
}
