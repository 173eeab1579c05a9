public import DeskgateSQL
import DeskgateModel
import Dispatch
import Synchronization

/// A bounded pool of read-only connections for reads that may take a while (search, long
/// lists), run on worker threads. Point reads on an event loop use the loop's own
/// `Database.openReader()` connection instead.
public final class ReadPool: Sendable {
    /// Hands a connection between threads. Sound because the pool lends each connection to
    /// one caller at a time, and NOMUTEX (multi-thread mode) only forbids concurrent use.
    private final class Lent: @unchecked Sendable {
        let connection: any SQLConnection
        init(_ connection: any SQLConnection) { self.connection = connection }
    }

    public let size: Int
    private let location: DatabaseLocation
    private let configuration: DatabaseConfiguration
    private let permits: DispatchSemaphore
    private let idle = Mutex<[Lent]>([])
    private let lentCount = Atomic<Int>(0)
    private let exhaustedCount = Atomic<Int>(0)

    init(location: DatabaseLocation, configuration: DatabaseConfiguration) {
        precondition(configuration.readerPoolSize > 0)
        self.location = location
        self.configuration = configuration
        self.size = configuration.readerPoolSize
        self.permits = DispatchSemaphore(value: configuration.readerPoolSize)
    }

    /// Lends a connection to `body` on the calling thread. Waits when all are lent out, up to
    /// the configured timeout, then throws `readerPoolExhausted`.
    public func withReader<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        let timeout = configuration.readerCheckoutTimeoutMilliseconds
        guard permits.wait(timeout: .now() + .milliseconds(timeout)) == .success else {
            exhaustedCount.wrappingAdd(1, ordering: .relaxed)
            throw StoreError.readerPoolExhausted(size: size, waitedMilliseconds: timeout)
        }
        lentCount.wrappingAdd(1, ordering: .relaxed)
        defer {
            lentCount.wrappingSubtract(1, ordering: .relaxed)
            permits.signal()
        }
        let lent = try idle.withLock { $0.popLast() } ?? Lent(location.openReader(configuration: configuration))
        // A connection that broke (the server restarted) is dropped; the next caller opens anew.
        defer { if !lent.connection.isBroken { idle.withLock { $0.append(lent) } } }
        return try body(lent.connection)
    }

    /// Connections lent out now (`/metrics`).
    public var inUse: Int { lentCount.load(ordering: .relaxed) }

    /// Callers that waited the whole checkout timeout and got no connection (`/metrics`).
    public var exhaustions: Int { exhaustedCount.load(ordering: .relaxed) }

    /// Closes idle connections (lent ones close when returned and the pool is released).
    func drain() {
        idle.withLock { $0.removeAll() }
    }
}
