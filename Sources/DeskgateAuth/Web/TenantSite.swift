import DeskgateHTTP
import DeskgateIdentity

/// Where a tenant's pages live for this request: under `/t/{slug}` (path URLs), or at the root
/// of the tenant's own host name (custom domains, issue 20). Links, redirects, form actions
/// and cookie paths take the prefix from here, so a browser that came in on the host stays on it.
struct TenantSite: Sendable, Equatable {
    let slug: String
    /// The tenant's host the request came in on (`Request.routedHost`), nil for path URLs.
    let host: String?

    init(slug: String, host: String? = nil) {
        self.slug = slug
        self.host = host
    }

    init(_ request: Request) { self.init(slug: request.parameter("tenant"), host: request.routedHost) }

    /// Prefix of every page path: `/t/{slug}`, or "" on the tenant's host.
    var prefix: String { TenantURLs.pathPrefix(slug, host: host) }

    /// The path the browser asked for: on a host, without the `/t/{slug}` the routing put in.
    func browserPath(_ path: String) -> String {
        guard host != nil else { return path }
        let routed = "/t/\(slug)"
        return path.hasPrefix(routed + "/") ? String(path.dropFirst(routed.utf8.count)) : path
    }
}
