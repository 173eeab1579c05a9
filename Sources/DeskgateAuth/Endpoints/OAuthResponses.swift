import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateJSON
import DeskgateModel

/// JSON answers of the OAuth endpoints: never cached (RFC 6749 §5.1), readable cross-origin
/// (browser-based clients call the token and registration endpoints directly).
enum OAuthResponses {
    static let headers: [(String, String)] = [("Cache-Control", "no-store"), ("Pragma", "no-cache"),
                                              ("Access-Control-Allow-Origin", "*")]

    static func json(_ members: [(String, JSONValue)], status: HTTPStatus = .ok) -> Response {
        Response.json(JSONValue.object(JSONObject(members)).encoded(), status: status, headers: HTTPHeaders(headers))
    }

    /// RFC 6749 §5.2: 400, except `invalid_client` (401, with a Basic challenge when the client tried Basic).
    static func error(_ failure: OAuthFailure, basicChallenge: Bool = false) -> Response {
        var status: HTTPStatus = .badRequest
        if failure.code == "invalid_client" { status = .unauthorized }
        if failure.code == "not_found" { status = .notFound }
        var response = json([("error", .string(failure.code)), ("error_description", .string(failure.description))],
                            status: status)
        if failure.code == "invalid_client" && basicChallenge {
            response.headers.add("WWW-Authenticate", "Basic realm=\"deskgate\", charset=\"UTF-8\"")
        }
        return response
    }

    static func preflight() -> Response {
        Response(status: .noContent, headers: HTTPHeaders([("Access-Control-Allow-Origin", "*"),
                                                           ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                                                           ("Access-Control-Allow-Headers", "Authorization, Content-Type, MCP-Protocol-Version"),
                                                           ("Access-Control-Max-Age", "600")]))
    }

    static let unknownTenant = OAuthFailure("not_found", "no such tenant")

    /// The OAuth endpoints' one answer for a tenant they cannot serve (metadata, registration,
    /// token, revocation, introspection). Unknown: 404 `not_found`. Suspended: 403
    /// `access_denied`, a registered code (RFC 6749 §11.4) every client library surfaces with its
    /// description; not `invalid_grant` or `invalid_client`, which tell a client to throw away
    /// credentials that work again once the tenant is resumed (docs/authorization-server.md).
    static func open(_ decision: TenantDecision) -> Result<Tenant, Refusal> {
        switch decision {
        case .open(let tenant): .success(tenant)
        case .unknown: .failure(Refusal(error(unknownTenant)))
        case .suspended(let tenant):
            .failure(Refusal(json([("error", "access_denied"),
                                   ("error_description", .string("tenant '\(tenant.slug)' is suspended"))], status: .forbidden)))
        }
    }
}
