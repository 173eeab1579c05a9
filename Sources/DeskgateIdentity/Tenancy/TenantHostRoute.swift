/// Where a request that arrived at a tenant's own host name is served: the same routes as
/// the path URLs, with `/t/{slug}` put back in (issue 20). A value with table tests; the
/// servers apply it only to requests whose path matched no route, so a path URL costs nothing.
///
/// - `/t/…` keeps its path: path URLs take precedence on every host;
/// - RFC 8414 and OpenID discovery at the root (the host's issuer has no path) go to the
///   tenant's path-inserted documents; RFC 9728 metadata for the resource `/mcp`, at
///   `/.well-known/oauth-protected-resource/mcp` (and at the bare name, which clients probe),
///   goes to the tenant's;
/// - any other `/.well-known/…` and `/` stay unmatched (404);
/// - everything else is prefixed: `/mcp` → `/t/{slug}/mcp`, `/login` → `/t/{slug}/login`.
public enum TenantHostRoute {
    public static func path(_ path: String, slug: String) -> String? {
        guard path.utf8.first == UInt8(ascii: "/"), path != "/", !path.hasPrefix("/t/") else { return nil }
        if path.hasPrefix("/.well-known/") {
            switch path {
            case "/.well-known/oauth-authorization-server": return "/.well-known/oauth-authorization-server/t/\(slug)"
            case "/.well-known/openid-configuration": return "/.well-known/openid-configuration/t/\(slug)"
            case "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp":
                return "/.well-known/oauth-protected-resource/t/\(slug)/mcp"
            default: return nil
            }
        }
        return "/t/\(slug)" + path
    }
}
