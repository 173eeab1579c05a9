import Synchronization

/// Verified values by token digest, valid for one revocation generation: the same protocol
/// as `PrincipalCache` (which PATs use), for any principal type.
///
/// Every caller reads the store's revocation counter first and presents it here; when it
/// moved, everything goes. A caller holding an older reading than the cache's neither reads
/// nor fills it, so an entry is never served or stored under a generation it was not checked in.
final class VerifiedTokenCache<Value: Sendable>: Sendable {
    private struct State {
        var generation: Int64 = .min
        var entries: [DigestKey: Value] = [:]
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
    func value(for key: [UInt8], generation: Int64) -> Value? {
        state.withLock { state in
            if generation > state.generation {
                state.generation = generation
                state.entries.removeAll(keepingCapacity: true)
                return nil
            }
            return generation == state.generation ? state.entries[DigestKey(key)] : nil
        }
    }

    /// Stores a value verified against the database after reading `generation`.
    func store(_ value: Value, for key: [UInt8], generation: Int64) {
        state.withLock { state in
            guard generation == state.generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[DigestKey(key)] = value
        }
    }

    func remove(_ key: [UInt8]) {
        _ = state.withLock { $0.entries.removeValue(forKey: DigestKey(key)) }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
