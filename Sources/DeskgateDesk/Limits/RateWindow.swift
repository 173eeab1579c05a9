/// A request rate as a generic cell rate algorithm (GCRA): one number per credential, the
/// theoretical arrival time (`due`) of the next request at the steady rate. A request may
/// come up to one window early, so a client that was quiet gets the whole window's quota as a
/// burst and then the steady rate (`limit` per `window`). No timers, no per-request history.
public struct RateWindow: Sendable, Equatable {
    /// Nanoseconds since the epoch; 0 when nothing was charged yet.
    public private(set) var due: Int64 = 0

    public init() {}

    /// What the limiter tells a client (the IETF RateLimit fields and Retry-After).
    public struct Decision: Sendable, Equatable {
        public let allowed: Bool
        /// Requests that could be made at once now (after this one, if allowed).
        public let remaining: Int
        /// Seconds until the whole quota is available again.
        public let resetSeconds: Int
        /// Seconds until the next request would be allowed (0 when allowed).
        public let retryAfterSeconds: Int

        public init(allowed: Bool, remaining: Int, resetSeconds: Int, retryAfterSeconds: Int) {
            self.allowed = allowed
            self.remaining = remaining
            self.resetSeconds = resetSeconds
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    static let second: Int64 = 1_000_000_000

    /// Admits one request at `now` (nanoseconds) under `limit` per `window` (nanoseconds), or
    /// refuses it without charging anything.
    public mutating func admit(now: Int64, limit: Int, window: Int64) -> Decision {
        let step = window / Int64(max(limit, 1))
        let next = max(due, now) + step
        let earliest = next - window
        if earliest > now {
            return Decision(allowed: false, remaining: 0, resetSeconds: Self.seconds(max(due - now, 0)),
                            retryAfterSeconds: max(1, Self.seconds(earliest - now)))
        }
        due = next
        return Decision(allowed: true, remaining: Int((now - earliest) / step),
                        resetSeconds: Self.seconds(next - now), retryAfterSeconds: 0)
    }

    /// Counts `count` requests another process served (learned at a sync) as if made here now,
    /// never owing more than one window: the bucket cannot be emptier than empty.
    public mutating func charge(_ count: Int, now: Int64, limit: Int, window: Int64) {
        guard count > 0 else { return }
        let step = window / Int64(max(limit, 1))
        due = min(max(due, now) + step * Int64(count), now + window)
    }

    /// Whole seconds, rounded up (a client told 0 would retry at once).
    static func seconds(_ nanoseconds: Int64) -> Int {
        Int((nanoseconds + second - 1) / second)
    }
}

/// A quota per clock hour (UTC): writes since the hour began, here and (as last learned) at the
/// deployment's other processes. A fixed window, so a model can plan: "12 left until 14:00".
public struct HourlyQuota: Sendable, Equatable {
    /// Hours since the epoch of the counts below.
    public private(set) var hour: Int64 = 0
    /// Counted by this process in `hour`.
    public private(set) var local = 0
    /// Counted by the other processes in `hour`, as of the last sync.
    public private(set) var others = 0

    public init() {}

    static let hourMilliseconds: Int64 = 3_600_000

    public static func hour(of milliseconds: Int64) -> Int64 { milliseconds / hourMilliseconds }

    /// Starts a new hour's counts when the clock passed into it.
    public mutating func roll(to now: Int64) {
        let current = Self.hour(of: now)
        if current != hour { hour = current; local = 0; others = 0 }
    }

    public func used(now: Int64) -> Int { Self.hour(of: now) == hour ? local + others : 0 }

    public func remaining(quota: Int, now: Int64) -> Int { max(quota - used(now: now), 0) }

    /// Seconds until the next hour begins.
    public static func secondsToNextHour(now: Int64) -> Int {
        Int(((hour(of: now) + 1) * hourMilliseconds - now + 999) / 1000)
    }

    public mutating func count(now: Int64) {
        roll(to: now)
        local += 1
    }

    /// What the other processes had counted in `hour`, learned at a sync (ignored once stale).
    public mutating func learn(others count: Int, hour learned: Int64) {
        if learned > hour { hour = learned; local = 0 }
        if learned == hour { others = max(count, 0) }
    }
}
