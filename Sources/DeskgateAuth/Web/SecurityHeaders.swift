import DeskgateHTTP

/// Headers of every page: no inline script or style (the one stylesheet is a same-origin
/// file), no framing (clickjacking the consent button), no referrer (authorize URLs carry
/// state), never cached. `form-action` is left out on purpose: browsers apply it to the
/// redirect after the consent form, which goes to the client's own redirect URI.
enum SecurityHeaders {
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// Signed-in pages (profile, admin) also load the one same-origin script (copy buttons) and
    /// post their forms only here: they never redirect a form to another origin.
    static let signedInContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"

    static func page(_ extra: [(String, String)] = [], policy: String = contentSecurityPolicy) -> HTTPHeaders {
        HTTPHeaders([("Content-Security-Policy", policy), ("X-Frame-Options", "DENY"),
                     ("Referrer-Policy", "no-referrer"), ("X-Content-Type-Options", "nosniff"),
                     ("Cache-Control", "no-store")] + extra)
    }

    static func html(_ body: String, status: HTTPStatus = .ok, extra: [(String, String)] = []) -> Response {
        Response.html(body, status: status, headers: page(extra))
    }

    static func signedInPage(_ extra: [(String, String)] = []) -> HTTPHeaders {
        page(extra, policy: signedInContentSecurityPolicy)
    }

    static func redirect(to location: String, status: HTTPStatus = .seeOther, extra: [(String, String)] = []) -> Response {
        Response(status: status, headers: HTTPHeaders([("Location", location), ("Cache-Control", "no-store"),
                                                       ("Referrer-Policy", "no-referrer")] + extra))
    }
}

/// A complete answer that ends a request early (an error page, an OAuth error JSON).
struct Refusal: Error {
    let response: Response
    init(_ response: Response) { self.response = response }
}
