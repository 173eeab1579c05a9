import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateJSON
import DeskgateModel

/// RFC 8414 metadata at the path-inserted URL, and the same document at both OpenID
/// discovery locations MCP clients probe (MCP 2025-11-25 Authorization, "Authorization Server
/// Metadata Discovery"). The issuer is built from the
/// configured public URL, byte-identical to `iss` in tokens and authorization responses.
struct DiscoveryEndpoint {
    let service: AuthService

    func install(on router: Router) {
        for path in ["/.well-known/oauth-authorization-server/t/{tenant}", "/.well-known/openid-configuration/t/{tenant}",
                     "/t/{tenant}/.well-known/openid-configuration"] {
            router.get(path) { request, context in
                let slug = request.parameter("tenant")
                return context.read(from: service.storage) { db in
                    switch OAuthResponses.open(try TenantGate().decide(slug, on: db)) {
                    case .failure(let refusal): return refusal.response
                    case .success: return self.document(slug, host: request.routedHost)
                    }
                }
            }
            router.add(["OPTIONS"], path) { _, _ in .response(OAuthResponses.preflight()) }
        }
    }

    /// `host`: the tenant's own host the request came in on; its issuer is then that host's.
    func document(_ slug: String, host: String? = nil) -> Response {
        let issuer = service.urls.issuer(slug, host: host)
        let strings: ([String]) -> JSONValue = { .array($0.map { .string($0) }) }
        let body = JSONValue.object(JSONObject([
            ("issuer", .string(issuer)),
            ("authorization_endpoint", .string(issuer + "/oauth/authorize")),
            ("token_endpoint", .string(issuer + "/oauth/token")),
            ("registration_endpoint", .string(issuer + "/oauth/register")),
            ("revocation_endpoint", .string(issuer + "/oauth/revoke")),
            ("introspection_endpoint", .string(issuer + "/oauth/introspect")),
            ("jwks_uri", .string(issuer + "/jwks.json")),
            ("scopes_supported", strings(Scopes.all.names)),
            ("response_types_supported", strings(["code"])),
            ("response_modes_supported", strings(["query"])),
            ("grant_types_supported", strings(["authorization_code", "refresh_token"])),
            ("code_challenge_methods_supported", strings(["S256"])),
            ("token_endpoint_auth_methods_supported", strings(["none", "client_secret_basic", "client_secret_post"])),
            ("revocation_endpoint_auth_methods_supported", strings(["none", "client_secret_basic", "client_secret_post"])),
            ("introspection_endpoint_auth_methods_supported", strings(["client_secret_basic", "client_secret_post"])),
            ("client_id_metadata_document_supported", .bool(true)),
            ("authorization_response_iss_parameter_supported", .bool(true)),
            ("subject_types_supported", strings(["public"])),
            ("id_token_signing_alg_values_supported", strings(["ES256"])),
        ]))
        return Response(status: .ok, headers: HTTPHeaders([("Content-Type", "application/json"),
                                                           ("Access-Control-Allow-Origin", "*"),
                                                           ("Cache-Control", "public, max-age=300")]),
                        body: body.encoded())
    }
}
