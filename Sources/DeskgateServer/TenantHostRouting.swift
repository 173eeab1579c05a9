import DeskgateHTTP
import DeskgateIdentity

/// Custom domains on both servers (issue 20): a request whose path matched no route and whose
/// `Host` is a tenant's own host name is served on the tenant's route (`TenantHostRoute`),
/// with `routedHost` set so the reply builds its URLs on that host. One map per process; each
/// loop reads it through a read connection of its own, opened on the first such request, in one
/// read transaction per loop turn (the revocation counter is read once a turn).
final class TenantHostRouting {
    private let map: TenantHostMap
    private let storage: Storage
    /// Loop-confined, like the router.
    private var turn: ReadTurn?

    private init(map: TenantHostMap, storage: Storage) {
        self.map = map
        self.storage = storage
    }

    static func install(on router: Router, map: TenantHostMap, storage: Storage) {
        let routing = TenantHostRouting(map: map, storage: storage)
        router.unmatchedPath = { request in routing.route(&request) }
        router.atEndOfTurn { routing.turn?.endTurn() }
    }

    private func route(_ request: inout Request) -> Bool {
        guard let (path, host) = TenantHostMap.route(hostHeader: request.headers["host"], path: request.path,
                                                     slugFor: slug(forHost:)) else { return false }
        request.path = path
        request.routedHost = host
        return true
    }

    /// A database fault answers "no tenant" (a 404); the loop reconnects on a later turn.
    private func slug(forHost host: String) -> String? {
        do {
            let turn = try self.turn ?? ReadTurn(storage: storage)
            self.turn = turn
            return try turn.read { try map.slug(forHost: host, on: turn.handle) }
        } catch {
            return nil
        }
    }
}
