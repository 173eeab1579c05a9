import DeskgateStore
import Synchronization

/// Which tenant a host name reaches, cached per process (issue 20).
///
/// Freshness: the rule of the tenant cached with a token's principal. Every change of
/// `tenant_hosts` bumps the revocation counter (migration 21's triggers), each entry, found or
/// not, is kept under the counter value it was read at, and a lookup that sees another value
/// reads the table again. The counter is read once per loop turn (`ReadTurn`), so an added or
/// removed host holds from the next request on, in every process. The table is only asked for
/// requests whose path matched no route, so path URLs never pay.
public final class TenantHostMap: Sendable {
    private struct Entry {
        let slug: String?
        let generation: Int64
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Unknown names are cached too (a scanner's Host headers), within this bound.
    static let capacity = 4096

    public init() {}

    /// The slug of the tenant `host` (a validated, lowercase name) reaches, or nil, read in
    /// `reader`'s snapshot. Throws when the database fails (the caller answers 404 and caches nothing).
    public func slug(forHost host: String, on reader: ReadHandle) throws -> String? {
        try slug(forHost: host, generation: reader.revocationGeneration()) { host in
            try TenantHostDirectory().byHost(host, on: reader.connection)?.tenantSlug
        }
    }

    /// The rule alone: a cached entry of this `generation`, else `lookup` (then cached under it).
    /// The generation is read before the lookup, so an entry is never newer than its label.
    func slug(forHost host: String, generation: Int64, lookup: (String) throws -> String?) rethrows -> String? {
        if let hit = entries.withLock({ $0[host] }), hit.generation == generation { return hit.slug }
        let slug = try lookup(host)
        entries.withLock { table in
            if table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
            table[host] = Entry(slug: slug, generation: generation)
        }
        return slug
    }

    /// Where a request whose `path` matched no route is served: the tenant route for the host
    /// its `Host` header names (port and case ignored), with that host; nil when the path is a
    /// path URL (`/t/…`), the header is missing or no DNS name, or `slugFor` knows no tenant.
    /// `slugFor` is only asked about a valid host name.
    public static func route(hostHeader: String?, path: String,
                             slugFor: (String) -> String?) -> (path: String, host: String)? {
        guard let hostHeader, !path.hasPrefix("/t/"), let host = TenantHostName.fromHeader(hostHeader),
              let slug = slugFor(host), let routed = TenantHostRoute.path(path, slug: slug) else { return nil }
        return (routed, host)
    }
}
