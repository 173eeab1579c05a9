import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateJSON
import DeskgateModel

/// RFC 9728 protected resource metadata: how a client finds our authorization server.
struct ProtectedResourceMetadata {
    let service: MCPService
    /// The loop's turn: its connection is replaced when it breaks, so it is asked for each time.
    let turn: ReadTurn

    func install(on router: Router) {
        router.get("/.well-known/oauth-protected-resource/t/{tenant}/mcp") { request, _ in
            .response(self.document(slug: request.parameter("tenant"), host: request.routedHost))
        }
    }

    /// `host`: the tenant's own host the request came in on; resource and issuer are then that host's.
    private func document(slug: String, host: String?) -> Response {
        let decision = try? turn.read { try TenantGate().decide(slug, on: turn.handle) }
        guard case .open(let tenant)? = decision else {
            // A read fault answers as an unknown tenant, as it always has: clients fetch metadata again.
            return (decision.flatMap { TenantRefusal($0, slug: slug) } ?? .unknown(slug: slug)).httpResponse
        }
        let body = JSONValue.object(JSONObject([
            ("resource", .string(service.urls.resource(slug, host: host))),
            ("authorization_servers", .array([.string(service.urls.issuer(slug, host: host))])),
            ("scopes_supported", .array(Scopes.all.names.map { .string($0) })),
            ("bearer_methods_supported", .array(["header"])),
            ("resource_name", .string("Deskgate (\(tenant.name))")),
        ]))
        // Public, readable from any origin (browser-based clients fetch it before any login).
        return Response(status: .ok, headers: HTTPHeaders([("Content-Type", "application/json"),
                                                            ("Access-Control-Allow-Origin", "*"),
                                                            ("Cache-Control", "public, max-age=300")]),
                        body: body.encoded())
    }
}
