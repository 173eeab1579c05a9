import Synchronization

/// `notifications/cancelled` for calls still waiting for a worker: the worker checks here
/// before it starts, and a cancelled call is answered with an error instead of running.
final class Cancellations: Sendable {
    private let cancelled = Mutex<(keys: Set<String>, order: [String])>((keys: [], order: []))
    private let capacity: Int

    init(capacity: Int = 10_000) { self.capacity = capacity }

    static func key(userID: Int64, requestID: JSONRPCID) -> String {
        switch requestID {
        case .string(let text): return "\(userID):s:\(text)"
        case .number(let number): return "\(userID):n:\(number.text)"
        }
    }

    func cancel(_ key: String) {
        cancelled.withLock { state in
            guard state.keys.insert(key).inserted else { return }
            state.order.append(key)
            if state.order.count > capacity {
                // Forget the oldest: a cancellation for a call that never arrives must not pile up.
                let dropped = state.order.removeFirst()
                state.keys.remove(dropped)
            }
        }
    }

    /// True (once) if the call was cancelled.
    func take(_ key: String) -> Bool {
        cancelled.withLock { state in
            guard state.keys.remove(key) != nil else { return false }
            state.order.removeAll { $0 == key }
            return true
        }
    }
}
