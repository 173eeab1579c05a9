import DeskgateCrypto
import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateModel

/// `/t/{tenant}/login` (GET form, POST sign-in) and `/t/{tenant}/logout` (POST).
///
/// The login form's CSRF value is a random cookie echoed in a hidden field (there is no
/// session yet to bind it to); after sign-in, forms carry the session's own CSRF token.
/// Failures are counted per account and per address; past the limit, attempts are refused
/// before any password check, for the configured time.
struct LoginEndpoint {
    let service: AuthService

    func install(on router: Router) {
        router.get("/t/{tenant}/login") { request, context in
            context.read(from: service.storage) { db in try self.form(request, on: db) }
        }
        router.post("/t/{tenant}/login") { request, context in
            context.offload { try self.signIn(request) }
        }
        router.post("/t/{tenant}/logout") { request, context in
            context.offload { try self.signOut(request) }
        }
    }

    static func fallback(_ slug: String, host: String? = nil) -> String {
        TenantSite(slug: slug, host: host).prefix + "/profile/mcp"
    }

    /// Only a path on this server under this tenant: never another origin (`//evil`, `/\evil`,
    /// `https://…`), never a dot-segment escape, never control characters. On the tenant's own
    /// host (`host`) its paths have no prefix, and `/t/…` (another tenant's path URL) is refused.
    static func safeNext(_ next: String?, slug: String, host: String? = nil) -> String {
        let fallback = fallback(slug, host: host)
        let prefix = TenantSite(slug: slug, host: host).prefix
        guard let next, next.hasPrefix(prefix + "/"), host == nil || !next.hasPrefix("/t/"), next.utf8.count <= 4096,
              next.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) else { return fallback }
        let path = next.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0].lowercased()
        for bad in ["//", "/./", "/../", "%2e", "%2f", "%5c", "%00"] where path.contains(bad) { return fallback }
        if path.hasSuffix("/..") || path.hasSuffix("/.") { return fallback }
        return next
    }

    private func tenantPage(_ slug: String, on db: ReadHandle) throws -> Result<Tenant, Refusal> {
        TenantPages.open(try TenantGate().decide(slug, on: db))
    }

    private func form(_ request: Request, on db: ReadHandle) throws -> Response {
        let tenant: Tenant
        switch try tenantPage(request.parameter("tenant"), on: db) {
        case .failure(let refusal): return refusal.response
        case .success(let found): tenant = found
        }
        let jar = service.cookies(tenant.slug, host: request.routedHost)
        let next = Self.safeNext(request.queryValue("next"), slug: tenant.slug, host: request.routedHost)
        let existing = CookieHeader.value(jar.loginCSRFName, in: request.headers).flatMap { $0.utf8.count == 32 ? $0 : nil }
        let csrf = existing ?? SecureRandom.base64URL(byteCount: 24)
        let page = LoginPage(slug: tenant.slug, tenantName: tenant.name, csrf: csrf, next: next,
                             prefix: TenantSite(request).prefix).render()
        return SecurityHeaders.html(page, extra: [jar.set(jar.loginCSRFName, csrf, maxAge: 3600)])
    }

    private func signIn(_ request: Request) throws -> Response {
        let slug = request.parameter("tenant")
        let tenant: Tenant
        switch try service.storage.withReader({ try tenantPage(slug, on: $0) }) {
        case .failure(let refusal): return refusal.response
        case .success(let found): tenant = found
        }
        let jar = service.cookies(slug, host: request.routedHost)
        let fields = FormFields.body(of: request) ?? FormFields([])
        let next = Self.safeNext(fields["next"], slug: slug, host: request.routedHost)
        guard let cookie = CookieHeader.value(jar.loginCSRFName, in: request.headers), let sent = fields["csrf"],
              ConstantTime.equals(cookie, sent) else {
            return SecurityHeaders.html(ErrorPage(title: "Form expired",
                                                  message: "This sign-in form is no longer valid. Go back, reload the page and try again.",
                                                  tenantName: tenant.name).render(), status: .forbidden)
        }
        let email = (fields["email"] ?? "").trimmed.lowercased()
        let password = fields["password"] ?? ""
        func again(_ message: String, status: HTTPStatus) -> Response {
            SecurityHeaders.html(LoginPage(slug: slug, tenantName: tenant.name, csrf: cookie, next: next,
                                           prefix: TenantSite(request).prefix, email: email, message: message).render(),
                                 status: status)
        }
        let limit = service.configuration.oauth.loginFailuresBeforeThrottle
        let accountKey = "account|\(slug)|\(email)"
        let addressKey = "address|\(slug)|\(request.remoteAddress)"
        if try service.loginFailures.count(accountKey) >= limit || service.loginFailures.count(addressKey) >= limit * 4 {
            return again(LoginPage.throttled, status: .tooManyRequests)
        }
        guard !email.isEmpty, !password.isEmpty, password.utf8.count <= 1024 else {
            return again(LoginPage.genericFailure, status: .unauthorized)
        }
        switch try service.sessions.signIn(email: email, password: password, tenant: tenant,
                                           address: request.remoteAddress, userAgent: request.headers["user-agent"]) {
        case .failure:
            try service.loginFailures.record(accountKey)
            try service.loginFailures.record(addressKey)
            return again(LoginPage.genericFailure, status: .unauthorized)
        case .success(let sessionCookie, _):
            try service.loginFailures.reset(accountKey)
            return SecurityHeaders.redirect(to: next, extra: [
                jar.set(jar.sessionName, sessionCookie, maxAge: service.configuration.oauth.sessionLifetimeSeconds),
                jar.clear(jar.loginCSRFName),
            ])
        }
    }

    private func signOut(_ request: Request) throws -> Response {
        let slug = request.parameter("tenant")
        let jar = service.cookies(slug, host: request.routedHost)
        // Signing out of a suspended help desk is allowed: ending a session never needs the tenant open.
        let found = try service.storage.withReader { db -> (Tenant, SignedIn?)? in
            guard let tenant = try TenantGate().decide(slug, on: db).tenant else { return nil }
            return (tenant, try service.signedIn(request, tenant: tenant, on: db))
        }
        guard let (tenant, session) = found else { return TenantPages.notFound.response }
        let login = TenantSite(request).prefix + "/login"
        guard let session else { return SecurityHeaders.redirect(to: login, extra: [jar.clear(jar.sessionName)]) }
        let fields = FormFields.body(of: request) ?? FormFields([])
        guard let sent = fields["csrf"], ConstantTime.equals(sent, session.csrf) else {
            return SecurityHeaders.html(ErrorPage(title: "Form expired", message: "Reload the page and try again.",
                                                  tenantName: tenant.name).render(), status: .forbidden)
        }
        try service.sessions.signOut(session, tenant: tenant, address: request.remoteAddress)
        return SecurityHeaders.redirect(to: login, extra: [jar.clear(jar.sessionName)])
    }
}
