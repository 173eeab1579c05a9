import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateModel

/// What a signed-in page handler gets from `PageRoutes`: the tenant, the user, the session's
/// CSRF token (put `page.csrfField` in every POST form), and the flash of this request.
///
/// A GET handler answers `page.html(title:content:)` (the signed-in layout around `content`,
/// the banner, the security headers, the flash cookie cleared). A POST handler answers
/// `page.redirect(to:flash:)` on success (POST-redirect-GET) or `page.html(…, status:
/// .unprocessableEntity)` with `FieldErrors` to re-render its form.
struct SignedInPage: Sendable {
    let tenant: Tenant
    /// The tenant's own host the page was asked for on (custom domains), nil for path URLs.
    let host: String?
    let session: SignedIn
    let jar: CookieJar
    /// The banner left by the POST that redirected here (GET only, once).
    let flash: Flash?
    let clearsFlashCookie: Bool
    let flashes: FlashStore

    var user: User { session.user }
    var csrf: String { session.csrf }
    var isAdmin: Bool { session.user.role == .admin }
    var slug: String { tenant.slug }
    /// `/t/{tenant}`, or "" on the tenant's own host: prefix of every page path.
    var base: String { TenantURLs.pathPrefix(tenant.slug, host: host) }

    /// The hidden CSRF input every POST form of a signed-in page carries.
    var csrfField: String { "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf))\">" }

    /// The page: layout, banner (the flash, or `banner` given by a re-rendering POST), content.
    /// `section` marks the current nav entry.
    func html(title: String, section: SignedInLayout.Section? = nil, content: String,
              banner: Flash? = nil, status: HTTPStatus = .ok) -> Response {
        let body = SignedInLayout(page: self, section: section).render(title: title, banner: banner ?? flash, content: content)
        var extra: [(String, String)] = []
        if clearsFlashCookie { extra.append(jar.clear(jar.flashName)) }
        return Response.html(body, status: status, headers: SecurityHeaders.signedInPage(extra))
    }

    /// 303 to `path` (a page of this tenant), leaving `flash` for it.
    func redirect(to path: String, flash: Flash? = nil) throws -> Response {
        var extra: [(String, String)] = []
        if let flash {
            let id = try flashes.put(flash, tenant: tenant, sessionID: session.sessionID)
            extra.append(jar.set(jar.flashName, id, maxAge: Int(FlashStore.lifetimeMilliseconds / 1000)))
        }
        return SecurityHeaders.redirect(to: path, extra: extra)
    }
}
