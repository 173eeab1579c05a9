import DeskgateStore
import DeskgateSystem
import Synchronization

/// Which tenant a host name reaches, cached per process (issue 20).
///
/// Freshness: an entry, found or not, is trusted for `lifetimeMilliseconds` (5 s by default)
/// and then read again, so `deskgate tenant host add/remove` reaches every server process
/// within that time. A suspended tenant is refused at once anyway (the route leads to the
/// tenant gate and the token verifiers, which read its status under the revocation counter).
/// The table is only read for requests whose path matched no route, so path URLs never pay.
public final class TenantHostMap: Sendable {
    /// The slug for a host, from the database (nil: no tenant holds it). Throws on a fault.
    public typealias Lookup = @Sendable (String) throws -> String?

    private struct Entry {
        let slug: String?
        let readAt: Int64
    }

    private let lookup: Lookup
    private let lifetime: Int64
    private let clock: @Sendable () -> Int64
    private let entries = Mutex<[String: Entry]>([:])
    /// Unknown names are cached too (a scanner's Host headers), within this bound.
    static let capacity = 4096

    public convenience init(lifetimeMilliseconds: Int64 = 5_000, lookup: @escaping Lookup) {
        self.init(lifetimeMilliseconds: lifetimeMilliseconds, clock: { WallClock.milliseconds() }, lookup: lookup)
    }

    /// Tests pass a clock to step past the lifetime.
    init(lifetimeMilliseconds: Int64, clock: @escaping @Sendable () -> Int64, lookup: @escaping Lookup) {
        self.lookup = lookup
        self.lifetime = lifetimeMilliseconds
        self.clock = clock
    }

    /// Reads `tenant_hosts` through a pooled reader of `storage`.
    public convenience init(storage: Storage, lifetimeMilliseconds: Int64 = 5_000) {
        self.init(lifetimeMilliseconds: lifetimeMilliseconds) { host in
            try storage.withReader { try TenantHostDirectory().byHost(host, on: $0.connection)?.tenantSlug }
        }
    }

    /// The slug of the tenant `host` (a validated, lowercase name) reaches, or nil. A database
    /// fault answers nil without caching it: the request gets a 404, the next one asks again.
    public func slug(forHost host: String) -> String? {
        let now = clock()
        if let hit = entries.withLock({ $0[host] }), now - hit.readAt < lifetime { return hit.slug }
        let slug: String?
        do { slug = try lookup(host) } catch { return nil }
        entries.withLock { table in
            if table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
            table[host] = Entry(slug: slug, readAt: now)
        }
        return slug
    }

    /// The path to serve a request for `path` at `hostHeader` on, with the tenant host it
    /// matched; nil when the header names no tenant's host or the path stays unmatched.
    public func route(hostHeader: String?, path: String) -> (path: String, host: String)? {
        guard let hostHeader, !path.hasPrefix("/t/"), let host = TenantHostName.fromHeader(hostHeader),
              let slug = slug(forHost: host), let routed = TenantHostRoute.path(path, slug: slug) else { return nil }
        return (routed, host)
    }
}
