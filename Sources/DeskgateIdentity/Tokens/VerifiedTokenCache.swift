import Synchronization

/// Verified values by token (PAT principals by the presented bytes, OAuth principals and
/// checked JWT signatures by digest), valid for one revocation generation.
///
/// The generation is the store's revocation counter. Every caller reads the counter first and
/// presents it here; when it moved, the whole cache goes (revocations are rare, so precision
/// is not worth a per-token invalidation protocol). A caller holding an older reading than
/// the cache's (it read just before a concurrent caller saw the bump) neither reads nor fills
/// the cache, so an entry is never served or stored under a generation it was not checked in.
final class VerifiedTokenCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var generation: Int64 = .min
        var entries: [Key: Value] = [:]
        /// Lookups by `value(for:)`, counted under the lock it takes anyway (`/metrics`).
        var lookups = CacheLookups()
    }

    private let state = Mutex(State())
    /// Only verified tokens get in, so the bound is about memory, not about attackers.
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// The cached value for `key`, after moving to `generation` (which drops everything when
    /// it is newer). Nil on a miss or when the caller's reading is stale.
    func value(for key: Key, generation: Int64) -> Value? {
        state.withLock { state in
            if generation > state.generation {
                state.generation = generation
                state.entries.removeAll(keepingCapacity: true)
                state.lookups.misses += 1
                return nil
            }
            let value = generation == state.generation ? state.entries[key] : nil
            if value == nil { state.lookups.misses += 1 } else { state.lookups.hits += 1 }
            return value
        }
    }

    /// Stores a value verified against the database after reading `generation`.
    func store(_ value: Value, for key: Key, generation: Int64) {
        state.withLock { state in
            guard generation == state.generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = value
        }
    }

    /// Whether `key` was verified before (in any generation): such a token passed its format
    /// checks, so steady traffic need not repeat them. Not a validity check: that is `value`.
    func contains(_ key: Key) -> Bool {
        state.withLock { $0.entries[key] != nil }
    }

    func remove(_ key: Key) {
        _ = state.withLock { $0.entries.removeValue(forKey: key) }
    }

    var count: Int { state.withLock { $0.entries.count } }

    var lookups: CacheLookups { state.withLock { $0.lookups } }
}

/// Hits and misses of a verified-token cache since the process started.
public struct CacheLookups: Sendable, Equatable {
    public var hits = 0
    public var misses = 0
}
