import DeskgateHTTP
import DeskgateJSON
import DeskgateStore

/// RFC 9728 protected resource metadata: how a client finds our authorization server.
struct ProtectedResourceMetadata {
    let service: MCPService
    let reader: SQLiteConnection

    func install(on router: Router) {
        router.get("/.well-known/oauth-protected-resource/t/{tenant}/mcp") { request, _ in
            .response(self.document(slug: request.parameter("tenant")))
        }
    }

    private func document(slug: String) -> Response {
        guard let tenant = try? TenantDirectory().bySlug(slug, on: reader) else {
            return .json(["error": "not_found"], status: .notFound)
        }
        let body = JSONValue.object(JSONObject([
            ("resource", .string(service.resourceURL(slug))),
            ("authorization_servers", .array([.string(service.issuer(slug))])),
            ("scopes_supported", .array(MCPService.allScopes.map { .string($0) })),
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
