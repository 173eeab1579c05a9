import DeskgateSystem

/// One deadline for the whole fetch (resolve, connect, handshake, request, response): a server
/// that trickles one byte a second must not hold a worker longer than the limit.
public struct FetchDeadline: Sendable {
    private let end: UInt64

    public init(milliseconds: Int) {
        end = MonotonicClock.nanoseconds() &+ UInt64(max(milliseconds, 1)) &* 1_000_000
    }

    /// Milliseconds left, for `poll`; throws once the time is up.
    public func remainingMilliseconds() throws(HTTPClientError) -> Int32 {
        let now = MonotonicClock.nanoseconds()
        guard now < end else { throw .timedOut }
        return Int32(clamping: max(1, (end - now) / 1_000_000))
    }
}
