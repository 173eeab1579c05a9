import DeskgateSystem
import Synchronization

/// Validated documents by client_id, each kept for its own `maxAgeSeconds`, so an authorization
/// request does not fetch on every step (authorize, consent, token). Failures and invalid
/// documents are never kept: the next request fetches again (CIMD §4: no caching of errors).
///
/// Bounded: when full, expired entries go first, then the one closest to expiry, so a flood of
/// distinct client_id URLs cannot grow memory.
public final class ClientMetadataCache: Sendable {
    typealias Fetch = @Sendable (String) throws(ClientMetadataError) -> ClientMetadataDocument

    private struct Entry {
        let document: ClientMetadataDocument
        let expiresAt: UInt64
    }

    private let fetch: Fetch
    private let now: @Sendable () -> UInt64
    private let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    public convenience init(fetcher: ClientMetadataFetcher, capacity: Int = 1000) {
        self.init(capacity: capacity, now: MonotonicClock.nanoseconds) { clientID throws(ClientMetadataError) in
            try fetcher.fetch(clientID)
        }
    }

    init(capacity: Int, now: @escaping @Sendable () -> UInt64, fetch: @escaping Fetch) {
        self.capacity = max(1, capacity)
        self.now = now
        self.fetch = fetch
    }

    /// The cached document while fresh, else a new fetch (blocking: run on the worker pool).
    public func document(for clientID: String) throws(ClientMetadataError) -> ClientMetadataDocument {
        let start = now()
        if let entry = entries.withLock({ $0[clientID] }), entry.expiresAt > start { return entry.document }
        let document = try fetch(clientID)
        let expiresAt = now() &+ UInt64(document.maxAgeSeconds) &* 1_000_000_000
        entries.withLock { table in
            if table[clientID] == nil && table.count >= capacity { evict(from: &table) }
            table[clientID] = Entry(document: document, expiresAt: expiresAt)
        }
        return document
    }

    /// Drops a document, e.g. when its redirect_uri check failed and a fresh copy may differ.
    public func forget(_ clientID: String) {
        _ = entries.withLock { $0.removeValue(forKey: clientID) }
    }

    var count: Int { entries.withLock { $0.count } }

    private func evict(from table: inout [String: Entry]) {
        let current = now()
        table = table.filter { $0.value.expiresAt > current }
        if table.count >= capacity, let soonest = table.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
            table.removeValue(forKey: soonest.key)
        }
    }
}
