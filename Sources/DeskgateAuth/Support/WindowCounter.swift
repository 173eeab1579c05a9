import DeskgateSystem
import Synchronization

/// Counts events per key in fixed windows, in memory (one process; a restart forgets, which
/// only loosens a limit briefly). Bounded: at most `capacity` keys, stale windows dropped first.
final class WindowCounter: Sendable {
    private struct Window {
        var start: Int64
        var count: Int
    }

    private let windowMilliseconds: Int64
    private let capacity: Int
    private let windows = Mutex<[String: Window]>([:])

    init(windowSeconds: Int, capacity: Int = 50_000) {
        windowMilliseconds = Int64(windowSeconds) * 1000
        self.capacity = capacity
    }

    /// Counts one event; false when `key` already had `limit` events in the current window.
    func admit(_ key: String, limit: Int, now: Int64 = WallClock.milliseconds()) -> Bool {
        windows.withLock { windows in
            var window = windows[key] ?? Window(start: now, count: 0)
            if now - window.start >= windowMilliseconds { window = Window(start: now, count: 0) }
            guard window.count < limit else { return false }
            window.count += 1
            if windows.count >= capacity, windows[key] == nil { Self.prune(&windows, now: now, window: windowMilliseconds) }
            windows[key] = window
            return true
        }
    }

    /// Events of `key` in its current window.
    func count(_ key: String, now: Int64 = WallClock.milliseconds()) -> Int {
        windows.withLock { windows in
            guard let window = windows[key], now - window.start < windowMilliseconds else { return 0 }
            return window.count
        }
    }

    func reset(_ key: String) { _ = windows.withLock { $0.removeValue(forKey: key) } }

    private static func prune(_ windows: inout [String: Window], now: Int64, window: Int64) {
        windows = windows.filter { now - $0.value.start < window }
        if windows.count > 0 && windows.count >= 50_000 { windows.removeAll() }
    }
}
