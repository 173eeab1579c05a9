import DeskgateHTTP
import DeskgateIdentity

/// Custom domains on both servers (issue 20): a request whose path matched no route and whose
/// `Host` is a tenant's own host name is served on the tenant's route (`TenantHostRoute`),
/// with `routedHost` set so the reply builds its URLs on that host. One map per process.
enum TenantHostRouting {
    static func install(on router: Router, map: TenantHostMap) {
        router.unmatchedPath = { request in
            guard let (path, host) = map.route(hostHeader: request.headers["host"], path: request.path) else { return false }
            request.path = path
            request.routedHost = host
            return true
        }
    }
}
