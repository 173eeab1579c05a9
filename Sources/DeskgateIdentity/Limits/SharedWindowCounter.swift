import DeskgateCrypto
import DeskgateStore
public import DeskgateSystem

/// Counts events per key in fixed windows, in the database, so that every process of a
/// deployment enforces one limit (failed sign-ins, client registrations). Keys are stored as
/// their SHA-256: they hold e-mail and IP addresses, which a counter table has no need to keep.
/// Each count is one write; these limits guard rare, slow requests (a password check, a
/// registration), never the MCP hot path.
public struct SharedWindowCounter: Sendable {
    /// Which limit this is: two counters over the same key (an address) never share a row.
    let limit: String
    let database: Database
    let windowMilliseconds: Int64
    let clock: @Sendable () -> Int64

    public init(_ limit: String, storage: Storage, windowSeconds: Int,
                clock: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() }) {
        self.limit = limit
        database = storage.database
        windowMilliseconds = Int64(windowSeconds) * 1000
        self.clock = clock
    }

    /// Counts one event; false when `key` already had `limit` events in its current window.
    public func admit(_ key: String, limit: Int) throws -> Bool {
        try record(key) <= limit
    }

    /// Counts one event and returns the window's count including it.
    @discardableResult
    public func record(_ key: String) throws -> Int {
        let digest = digest(key), now = clock(), window = windowMilliseconds
        return try database.write { tx in try DeploymentState().count(digest, windowMilliseconds: window, at: now, in: tx) }
    }

    /// Events of `key` in its current window.
    public func count(_ key: String) throws -> Int {
        let digest = digest(key), now = clock(), window = windowMilliseconds
        return try database.withReader { try DeploymentState().events(digest, windowMilliseconds: window, at: now, on: $0) }
    }

    public func reset(_ key: String) throws {
        let digest = digest(key)
        try database.write { tx in try DeploymentState().reset(digest, in: tx) }
    }

    private func digest(_ key: String) -> String { Hex.encode(SHA256.hash(limit + "\n" + key)) }
}
