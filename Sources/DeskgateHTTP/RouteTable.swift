import Synchronization

/// The routes of this process, numbered once for metrics: every event loop builds its own
/// router from the same table, so the same method and pattern get the same number everywhere.
///
/// Labels are patterns ("/t/{tenant}/mcp"), never raw paths: a path carries tenant slugs and
/// whatever a client invents, and a label per distinct path would grow without bound.
final class RouteTable: Sendable {
    static let shared = RouteTable()
    /// Slot 0 is for requests no route took (404, 405, unparsable requests) and for routes
    /// past the capacity.
    static let unmatched = 0
    static let capacity = 256

    private let routes = Mutex<[(method: String, pattern: String)]>([("", "")])

    func index(method: String, pattern: String) -> Int {
        routes.withLock { routes in
            if let index = routes.firstIndex(where: { $0.method == method && $0.pattern == pattern }) { return index }
            guard routes.count < Self.capacity else { return Self.unmatched }
            routes.append((method, pattern))
            return routes.count - 1
        }
    }

    /// The method and pattern of slot `index`; nil for a slot not handed out.
    func route(_ index: Int) -> (method: String, pattern: String)? {
        routes.withLock { index < $0.count ? $0[index] : nil }
    }
}
