import DeskgateHTTP

/// The cookies of the pages: the session (after sign-in), the login form's CSRF value
/// (before it) and the flash id (between a POST and the page it redirects to). Over https they
/// carry the `__Host-` prefix and `Secure`, which forces `Path=/`, so the name then carries the
/// tenant; over plain http (development) they are scoped to the tenant's path instead, or to
/// `/` on the tenant's own host name, which is all the tenant's.
struct CookieJar {
    let slug: String
    let secure: Bool
    var onTenantHost = false

    var sessionName: String { secure ? "__Host-dg_session_\(slug)" : "dg_session" }
    var loginCSRFName: String { secure ? "__Host-dg_login_\(slug)" : "dg_login" }
    /// The id of the one-shot banner a POST leaves for the page it redirects to (`FlashStore`).
    var flashName: String { secure ? "__Host-dg_flash_\(slug)" : "dg_flash" }
    private var path: String { secure || onTenantHost ? "/" : "/t/\(slug)/" }

    func set(_ name: String, _ value: String, maxAge: Int) -> (String, String) {
        var cookie = "\(name)=\(value); Path=\(path); HttpOnly; SameSite=Lax; Max-Age=\(maxAge)"
        if secure { cookie += "; Secure" }
        return ("Set-Cookie", cookie)
    }

    func clear(_ name: String) -> (String, String) { set(name, "", maxAge: 0) }
}
