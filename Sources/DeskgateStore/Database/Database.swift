public import DeskgateSQL
import DeskgateModel
import FoundationEssentials
import Synchronization

/// The store's entry point: one database (a SQLite file or a PostgreSQL server), one writer
/// thread, a pool of readers.
///
/// Sendable: it holds only the path, the configuration and the thread-safe queue and pool.
/// Connections themselves never cross threads through it.
public final class Database: Sendable {
    public let location: DatabaseLocation
    /// The location as it may be printed (a URL's password masked).
    public var path: String { location.description }
    public let configuration: DatabaseConfiguration
    public let writer: WriteQueue
    public let readers: ReadPool
    /// Refreshes stale planner statistics every `statisticsIntervalMilliseconds` (SQLite).
    private let statistics = Mutex<StatisticsKeeper?>(nil)

    private init(location: DatabaseLocation, configuration: DatabaseConfiguration, writer: WriteQueue) {
        self.location = location
        self.configuration = configuration
        self.writer = writer
        self.readers = ReadPool(location: location, configuration: configuration)
    }

    /// Opens the database at `path` (a file path or a `postgres://` URL: `DatabaseLocation`),
    /// creating and migrating it when needed, and starts the writer. `deskgate init` and both
    /// servers call this at start.
    public static func open(path: String, configuration: DatabaseConfiguration = DatabaseConfiguration()) throws -> Database {
        let location = DatabaseLocation(path)
        if case .file = location { try prepareFile(path) }
        let writer = try WriteQueue.start(location: location, configuration: configuration)
        let database = Database(location: location, configuration: configuration, writer: writer)
        if case .file = location, configuration.statisticsIntervalMilliseconds > 0 {
            let keeper = StatisticsKeeper.start(database: database, intervalMilliseconds: configuration.statisticsIntervalMilliseconds)
            database.statistics.withLock { $0 = keeper }
        }
        return database
    }

    /// Refuses what cannot be shared between connections and creates the file's directories
    /// (also for `DatabaseCopy`'s target).
    static func prepareFile(_ path: String) throws {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else {
            // Several connections must share the database, so it has to be a real file.
            throw StoreError.invalidInput("database path must be a file path")
        }
        let parent = FilePath.parent(of: path)
        if !parent.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw StoreError.engine(code: 14, message: "cannot create directory \(parent)")
            }
        }
    }

    /// A read-only connection for the caller to keep on one thread (an event loop keeps one,
    /// with its cached statements, for inline point reads).
    public func openReader() throws -> any SQLConnection {
        try location.openReader(configuration: configuration)
    }

    /// Borrows a pooled reader; see `ReadPool.withReader`.
    public func withReader<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try readers.withReader(body)
    }

    /// Reads a table, so the file (or server) must really answer: `/readyz` calls this. On a
    /// connection of its own, not a pooled one: readiness must not wait for slow reads to give a
    /// reader back. One probe at a time; a second caller waits for the first one's answer.
    public func probe() throws {
        try prober.withLock { slot in
            if slot.connection?.isBroken ?? true {
                var settings = configuration
                settings.readBudgetMilliseconds = Self.probeBudgetMilliseconds
                slot.connection = try location.openReader(configuration: settings)
            }
            _ = try slot.connection!.queryOne("SELECT count(*) FROM schema_migrations") { $0.int64(0) }
        }
    }

    /// The probe's statement budget: a database that cannot answer this fast is not ready.
    static let probeBudgetMilliseconds = 1_000

    /// The probe's connection. Sound to share: only ever used under `prober`'s lock.
    private final class ProbeSlot: @unchecked Sendable {
        var connection: (any SQLConnection)?
    }
    private let prober = Mutex(ProbeSlot())

    /// See `WriteQueue.enqueue`.
    public func enqueue<T: Sendable>(_ job: @escaping @Sendable (WriteTransaction) throws -> T,
                                     completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        writer.enqueue(job, completion: completion)
    }

    /// Blocks until committed; see `WriteQueue.write`.
    @discardableResult
    public func write<T: Sendable>(_ job: @escaping @Sendable (WriteTransaction) throws -> T) throws -> T {
        try writer.write(job)
    }

    @discardableResult
    public func write<T: Sendable>(_ job: @escaping @Sendable (WriteTransaction) throws -> T) async throws -> T {
        try await writer.write(job)
    }

    /// Refreshes the query planner's statistics (`PlannerStatistics`) through the writer: for
    /// the end of bulk work (`deskgate demo`, imports), so plans fit the data just loaded.
    public func refreshPlannerStatistics() throws {
        try write { tx in try PlannerStatistics.refresh(on: tx.connection) }
    }

    /// Merges SQLite's full-text indexes into one segment each (`SearchIndexMerge`), one write
    /// job per index so other writes run between them; for the end of bulk work.
    public func mergeSearchIndexes() throws {
        let indexes = try withReader { try SearchIndexMerge.indexes(on: $0) }
        for index in indexes {
            try write { tx in try SearchIndexMerge.merge(index, on: tx.connection) }
        }
    }

    /// Commits queued writes, stops the writer and closes idle readers.
    public func close() {
        // Before the writer: the keeper's last job must find it open.
        statistics.withLock { $0 }?.stop()
        writer.close()
        readers.drain()
        prober.withLock { $0.connection = nil }
    }
}

private enum FilePath {
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }
}
