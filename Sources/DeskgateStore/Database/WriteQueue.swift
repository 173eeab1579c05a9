import DeskgateSQL
import DeskgateSQLite
import DeskgatePostgres
import DeskgateModel
import Dispatch
import DeskgateSystem
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The single writer: one dedicated thread owns the only read-write connection and commits
/// queued jobs in group-commit batches. SQLite allows one writer anyway, and keeping fsync and
/// busy waits on this thread means they never stall an event loop.
public final class WriteQueue: Sendable {
    public struct Statistics: Sendable, Equatable {
        public var batches = 0
        public var committedJobs = 0
        public var failedJobs = 0
        public var largestBatch = 0
        /// Rounds the checkpointer thread ran (it skips rounds with nothing to copy).
        public var checkpointRounds = 0
    }

    private struct State {
        var jobs: [PendingWrite] = []
        var writerSleeping = false
        var closing = false
        var statistics = Statistics()
    }

    private let state = Mutex(State())
    /// Set by the writer thread once it has started the checkpointer (nil when it is off).
    private let checkpointer = Mutex<Checkpointer?>(nil)
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let maxJobsPerBatch: Int
    /// pthread id of the writer, to catch a job that would wait on its own queue.
    private let writerThread = Atomic<UInt>(0)

    /// Starts the writer thread: it opens the connection, applies the pragmas and migrations,
    /// and only then accepts jobs. Throws what opening or migrating threw.
    static func start(location: DatabaseLocation, configuration: DatabaseConfiguration) throws -> WriteQueue {
        let queue = WriteQueue(maxJobsPerBatch: configuration.maxJobsPerBatch)
        let startup = Mutex<Result<Void, any Error>?>(nil)
        let started = DispatchSemaphore(value: 0)
        spawnThread(name: "db-writer") {
            queue.runWriter(location: location, configuration: configuration) { result in
                startup.withLock { $0 = result }
                started.signal()
            }
            // Signalled only after runWriter returned and its connection was closed, so a
            // closed queue means a closed file.
            queue.stopped.signal()
        }
        started.wait()
        try startup.withLock { $0! }.get()
        return queue
    }

    private init(maxJobsPerBatch: Int) {
        precondition(maxJobsPerBatch > 0)
        self.maxJobsPerBatch = maxJobsPerBatch
    }

    /// Log pages after which a COMMIT checkpoints by itself even with the checkpointer on:
    /// 64 MB of 4 KB pages, the log's `journal_size_limit`. Sequential commits never leave the
    /// log wholly copied at the moment the next one starts (the checkpointer's round outlasts
    /// the gap), so this backstop is what starts it over, inside one commit. At 4,000 pages that
    /// was 7 commits in 1,000 sequential `ticket_handle` calls, the p99 itself; at 16,000 it is
    /// about 2 (paired runs: client p99 7.0 / 9.7 / 12.0 ms -> 6.1 / 2.7 / 5.1 ms; the rare one
    /// costs more, max 28-57 -> 38-74 ms).
    public static let defaultBackstopCheckpointPages = 16_000

    /// The writer's connection, migrated. On PostgreSQL each process has its own writer, and
    /// the server orders the writers' transactions (row locks); `synchronous_commit` stays on,
    /// so COMMIT returns only once the write is durable, as FULL does here for SQLite.
    /// `DatabaseCopy` opens its target's connection here too, so the target is migrated and
    /// configured exactly as a writer's.
    static func openWriter(location: DatabaseLocation, configuration: DatabaseConfiguration) throws -> any SQLConnection {
        let connection: any SQLConnection = switch location {
        case let .file(path): try openSQLiteWriter(path: path, configuration: configuration)
        case let .postgres(url): try PostgresConnection(url: url)
        }
        try Migrator(migrations: configuration.migrations).migrate(connection)
        return connection
    }

    private static func openSQLiteWriter(path: String, configuration: DatabaseConfiguration) throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, readOnly: false,
                                              busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
        try connection.execute(script: "PRAGMA journal_mode=WAL")
        guard try connection.pragma("journal_mode") == "wal" else {
            throw StoreError.engine(code: 0, message: "cannot switch \(path) to WAL mode")
        }
        // FULL: fsync the WAL at every COMMIT. NORMAL survives kill -9 (the WAL sits in the OS
        // page cache) but can lose the last commits on power loss; an acknowledged write must
        // not. Group commit pays one fsync per batch, not per job.
        try connection.execute(script: "PRAGMA synchronous=FULL; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY")
        if configuration.checkpointIntervalMilliseconds > 0 {
            // The checkpointer thread copies the log back, so a COMMIT normally never does (see
            // Checkpointer). The automatic checkpoint stays as a backstop at 16× SQLite's
            // threshold: under writes that never pause, the log keeps growing while the
            // checkpointer copies it (it only starts over once fully copied), and without the
            // backstop a bulk load grew it to 21 GB. By then the checkpointer has copied most of
            // it, so the commit that trips the backstop has little left to do.
            try connection.execute(script: "PRAGMA wal_autocheckpoint=\(configuration.backstopCheckpointPages); "
                                   + "PRAGMA journal_size_limit=67108864")
        }
        return connection
    }

    // MARK: submitting jobs

    /// Queues `job`; `completion` runs on the writer thread after the batch's COMMIT returned
    /// (the acknowledgement point), with the job's value or error. Keep completions short and
    /// never block in them: hop to your own loop or continuation.
    public func enqueue<T: Sendable>(_ job: @escaping @Sendable (WriteTransaction) throws -> T,
                                     completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        let pending = PendingWrite(job, completion: completion)
        let wakeWriter: Bool? = state.withLock { state in
            if state.closing { return nil }
            state.jobs.append(pending)
            guard state.writerSleeping else { return false }
            state.writerSleeping = false
            return true
        }
        switch wakeWriter {
        case nil: pending.fail(StoreError.closed)
        case true?: wake.signal()
        case false?: break
        }
    }

    /// Blocks the calling thread until the job is committed (for the CLI and tests).
    /// Must not be called from inside a write job or completion: that would wait on itself.
    @discardableResult
    public func write<T: Sendable>(_ job: @escaping @Sendable (WriteTransaction) throws -> T) throws -> T {
        precondition(writerThread.load(ordering: .relaxed) != UInt(pthread_self()),
                     "blocking write from the writer thread would deadlock")
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        enqueue(job) { outcome in
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }

    /// Suspends until the job is committed.
    @discardableResult
    public func write<T: Sendable>(_ job: @escaping @Sendable (WriteTransaction) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(job) { continuation.resume(with: $0) }
        }
    }

    /// Jobs queued and not yet taken by the writer (`/metrics`).
    public var depth: Int { state.withLock { $0.jobs.count } }

    public var statistics: Statistics {
        var statistics = state.withLock { $0.statistics }
        statistics.checkpointRounds = checkpointer.withLock { $0?.rounds } ?? 0
        return statistics
    }

    /// Stops accepting jobs, commits everything already queued, and waits for the writer to exit.
    public func close() {
        let wakeWriter = state.withLock { state in
            state.closing = true
            defer { state.writerSleeping = false }
            return state.writerSleeping
        }
        if wakeWriter { wake.signal() }
        stopped.wait()
        stopped.signal()  // let any other closer through too
    }

    // MARK: the writer thread

    /// The writer thread's whole life: the connection is created here and dies with it.
    private func runWriter(location: DatabaseLocation, configuration: DatabaseConfiguration,
                           reportStartup: (Result<Void, any Error>) -> Void) {
        var connection: any SQLConnection
        do {
            connection = try WriteQueue.openWriter(location: location, configuration: configuration)
        } catch {
            reportStartup(.failure(error))
            return
        }
        // Checkpoints are SQLite's write-ahead log; PostgreSQL runs its own.
        var checkpointer: Checkpointer?
        if case let .file(path) = location, configuration.checkpointIntervalMilliseconds > 0 {
            checkpointer = Checkpointer.start(path: path, intervalMilliseconds: configuration.checkpointIntervalMilliseconds)
        }
        self.checkpointer.withLock { $0 = checkpointer }
        if connection.dialect == .sqlite && configuration.refreshStatisticsAtStart {
            // Before serving: the first queries already get plans that fit the data.
            // Logged only when a table was stale: a server's start prints nothing else to stderr.
            let stale = (try? PlannerStatistics.staleTables(on: connection)) ?? []
            if !stale.isEmpty {
                PlannerStatistics.logged("start", tables: stale) {
                    for table in stale { try PlannerStatistics.refresh(table: table, on: connection) }
                }
            }
        }
        reportStartup(.success(()))
        writerThread.store(UInt(pthread_self()), ordering: .relaxed)
        var commit = GroupCommit(connection: connection)
        while let batch = nextBatch() {
            // The server restarted or the network dropped since the last batch: the batch that
            // saw it failed (its callers answered 503); this one gets a new connection, or
            // fails the same way while the database is still away.
            if connection.isBroken {
                do {
                    connection = try WriteQueue.openWriter(location: location, configuration: configuration)
                    commit = GroupCommit(connection: connection)
                } catch {
                    state.withLock { $0.statistics.failedJobs += batch.count }
                    for job in batch { job.fail(error) }
                    continue
                }
            }
            let began = MonotonicClock.nanoseconds()
            commit.run(batch[...]) { committed, failed in
                StoreMetrics.commitLatency.observe(Int(MonotonicClock.nanoseconds() &- began))
                StoreMetrics.batchSize.observe(committed + failed)
                state.withLock { state in
                    state.statistics.batches += 1
                    state.statistics.committedJobs += committed
                    state.statistics.failedJobs += failed
                    state.statistics.largestBatch = max(state.statistics.largestBatch, committed + failed)
                }
            }
            checkpointer?.noteCommit()
        }
        // Before the writer's connection closes: the last connection to close checkpoints and
        // removes the log, and that should be the writer's.
        checkpointer?.stop()
        // Refreshes planner statistics cheaply (tables this connection used that changed
        // greatly); a failure here loses nothing.
        if connection.dialect == .sqlite { try? connection.execute(script: "PRAGMA optimize") }
    }

    /// Waits for work; returns nil once closing and drained.
    private func nextBatch() -> [PendingWrite]? {
        while true {
            let batch: [PendingWrite]? = state.withLock { state in
                if state.jobs.isEmpty {
                    if state.closing { return nil }
                    state.writerSleeping = true
                    return []
                }
                if state.jobs.count <= maxJobsPerBatch {
                    defer { state.jobs = [] }
                    return state.jobs
                }
                let batch = Array(state.jobs.prefix(maxJobsPerBatch))
                state.jobs.removeFirst(maxJobsPerBatch)
                return batch
            }
            guard let batch else { return nil }
            if !batch.isEmpty { return batch }
            wake.wait()
        }
    }
}
