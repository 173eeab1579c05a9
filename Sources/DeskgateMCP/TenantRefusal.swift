import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateJSON

/// The MCP edges' one answer for a tenant they cannot serve: over HTTP (Streamable HTTP, HTTP+SSE,
/// protected resource metadata) and as a JSON-RPC error (stdio, a tool's `access_token` argument).
/// Both carry the same `error` code, so a client can tell the cases apart whichever way it came.
///
/// A suspended tenant is 403, never 401, for a PAT and an OAuth access token alike: the token is
/// still good. A 401 would tell an OAuth client to drop it and authorize again (which the
/// authorization server refuses too, with the same reason) and send a PAT user into an OAuth
/// flow they never set up; a 403 names the reason and ends there.
enum TenantRefusal: Error, Equatable {
    case unknown(slug: String)
    case suspended(slug: String)

    /// Nil for an open tenant.
    init?(_ decision: TenantDecision, slug: String) {
        switch decision {
        case .open: return nil
        case .unknown: self = .unknown(slug: slug)
        case .suspended: self = .suspended(slug: slug)
        }
    }

    var code: String {
        switch self {
        case .unknown: "not_found"
        case .suspended: "tenant_suspended"
        }
    }

    var description: String {
        switch self {
        case .unknown(let slug): "there is no help desk '\(slug)' here"
        case .suspended(let slug): "the help desk '\(slug)' is suspended; its MCP server refuses every call until it is resumed"
        }
    }

    var httpStatus: HTTPStatus {
        switch self {
        case .unknown: .notFound
        case .suspended: .forbidden
        }
    }

    var httpResponse: Response {
        let body = JSONValue.object(JSONObject([("error", .string(code)), ("error_description", .string(description))]))
        return .json(body.encoded(), status: httpStatus)
    }

    /// -32001 is the code stdio already answers refused credentials with: clients that handle
    /// that keep working; `data.error` says which refusal it is.
    var rpcError: RPCError {
        RPCError(code: -32001, message: description, data: .object(JSONObject([("error", .string(code))])),
                 kind: .tenantRefused(self))
    }
}
