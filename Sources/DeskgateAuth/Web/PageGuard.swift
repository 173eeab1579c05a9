import DeskgateCrypto
import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateModel

/// The door of every signed-in page (profile, admin). Pages do not call it directly: they
/// register through `PageRoutes`, which runs `resolve` and, for POST, `csrfMatches`, then hands
/// the handler a `SignedInPage`.
///
/// - unknown tenant → 404 page; suspended tenant → 403 page (`TenantPages`);
/// - no session, or an expired one → 303 to `/t/{tenant}/login?next=<this path>` (GET) or to
///   the login page without `next` (POST: the form's target is no page to come back to);
/// - `.admin` and the user is not an admin → 403 page ("Admins only").
enum PageGuard {
    enum Requirement: Sendable { case signedIn, admin }

    /// Where a signed-out browser is sent. `next` is the requested path and query, exactly as
    /// `LoginEndpoint.safeNext` will accept it back (it re-checks, so this cannot open a redirect).
    /// `host`: the tenant's own host the request came in on (`path` is then the browser's, unprefixed).
    static func loginLocation(slug: String, method: String, path: String, query: String?, host: String? = nil) -> String {
        let login = TenantSite(slug: slug, host: host).prefix + "/login"
        guard method == "GET" || method == "HEAD" else { return login }
        let target = path + (query.map { $0.isEmpty ? "" : "?\($0)" } ?? "")
        guard LoginEndpoint.safeNext(target, slug: slug, host: host) == target else { return login }
        return login + "?next=" + FormURLEncoding.escape(target)
    }

    /// The session's CSRF token against the one a form sent (constant time; missing = refused).
    static func csrfMatches(_ sent: String?, _ expected: String) -> Bool {
        guard let sent, !sent.isEmpty, !expected.isEmpty else { return false }
        return ConstantTime.equals(sent, expected)
    }

    /// Whether `user` passes `requirement` (a deactivated user never has a session at all).
    static func allows(_ requirement: Requirement, _ user: User) -> Bool {
        switch requirement {
        case .signedIn: return true
        case .admin: return user.role == .admin
        }
    }

    /// The signed-in page context for this request, or the answer that replaces the page.
    /// Takes the request's flash (one-shot) for GET pages.
    static func resolve(_ request: Request, service: AuthService, requirement: Requirement,
                        on db: ReadHandle) throws -> Result<SignedInPage, Refusal> {
        let slug = request.parameter("tenant")
        let tenant: Tenant
        switch TenantPages.open(try TenantGate().decide(slug, on: db)) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let open): tenant = open
        }
        let site = TenantSite(request)
        let jar = service.cookies(tenant.slug, host: site.host)
        guard let session = try service.signedIn(request, tenant: tenant, on: db) else {
            let location = loginLocation(slug: slug, method: request.method, path: site.browserPath(request.path),
                                         query: request.query, host: site.host)
            return .failure(Refusal(SecurityHeaders.redirect(to: location, extra: [jar.clear(jar.sessionName)])))
        }
        guard allows(requirement, session.user) else {
            let page = ErrorPage(title: "Admins only",
                                 message: "This page is for administrators of \(tenant.name). Ask an admin if you need something here.",
                                 tenantName: tenant.name, link: (site.prefix + "/profile/mcp", "Back to MCP Integration"))
            return .failure(Refusal(SecurityHeaders.html(page.render(), status: .forbidden)))
        }
        var flash: Flash?
        var hadFlashCookie = false
        if request.method == "GET", let id = CookieHeader.value(jar.flashName, in: request.headers) {
            hadFlashCookie = true
            flash = try service.flashes.take(id, tenant: tenant, sessionID: session.sessionID)
        }
        return .success(SignedInPage(tenant: tenant, host: site.host, session: session, jar: jar, flash: flash,
                                     clearsFlashCookie: hadFlashCookie, flashes: service.flashes))
    }
}
