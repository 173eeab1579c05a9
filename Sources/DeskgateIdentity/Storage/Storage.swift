package import DeskgateSQL
package import DeskgateStore

/// The tenant-scoped database as the servers hold it: opened, read through, closed. Every
/// query lives behind a domain service; only the domain (this package's domain targets)
/// looks inside, so the store can change without the servers knowing.
public struct Storage: Sendable {
    package let database: Database

    package init(_ database: Database) { self.database = database }

    /// Opens (creating and migrating when needed) the database at `path`.
    public static func open(path: String, settings: StorageSettings = StorageSettings()) throws -> Storage {
        var configuration = DatabaseConfiguration()
        configuration.checkpointIntervalMilliseconds = settings.checkpointIntervalMilliseconds
        configuration.readBudgetMilliseconds = settings.readBudgetMilliseconds
        if settings.readPoolSize > 0 { configuration.readerPoolSize = settings.readPoolSize }
        if settings.statisticsIntervalMilliseconds > 0 {
            configuration.refreshStatisticsAtStart = true
            configuration.statisticsIntervalMilliseconds = settings.statisticsIntervalMilliseconds
        }
        return Storage(try Database.open(path: path, configuration: configuration))
    }

    /// The database's location as it may be printed (a URL's password masked).
    public var path: String { database.path }

    /// `path` (a file path or a `postgres://` URL) as it may be printed or logged: a URL's
    /// password masked. Servers and the CLI print this, never the configured text.
    public static func printable(_ path: String) -> String { DatabaseLocation(path).description }

    /// Whether a Deskgate database exists at `path` (a file, or a PostgreSQL database whose
    /// schema was created): commands other than `init` refuse to create one by accident.
    public static func exists(_ path: String) throws -> Bool { try DatabaseLocation(path).holdsDeskgate() }

    /// Grants the PostgreSQL role `role` what deskgate-auth and deskgate-mcp need at `path`,
    /// and no more; connecting them as that role puts them behind row-level security.
    public static func grantServerRole(_ role: String, at path: String) throws {
        try ServerRole.grant(role, at: DatabaseLocation(path))
    }

    /// Whether `path` names a database file (the embedded default) rather than a server.
    public static func isFile(_ path: String) -> Bool {
        if case .file = DatabaseLocation(path) { return true }
        return false
    }

    /// A pooled read connection for the length of `body`.
    public func withReader<T>(_ body: (ReadHandle) throws -> T) throws -> T {
        try database.withReader { try body(ReadHandle($0)) }
    }

    /// A read connection of the caller's own (an event loop's, stdio's), for its lifetime.
    public func openReader() throws -> ReadHandle { ReadHandle(try database.openReader()) }

    /// Refreshes the query planner's statistics, after bulk work (`deskgate demo`, imports).
    public func refreshPlannerStatistics() throws { try database.refreshPlannerStatistics() }

    /// Merges the full-text indexes a bulk load left in many segments (SQLite), after bulk work.
    public func mergeSearchIndexes() throws { try database.mergeSearchIndexes() }

    /// Whether the database can be read now (`/readyz`).
    public func probe() throws { try database.probe() }

    /// Drains the writer and closes every connection.
    public func close() { database.close() }
}

/// The storage tunables a server takes from its configuration.
public struct StorageSettings: Sendable, Equatable {
    /// How often committed pages are copied back from the write-ahead log (0: SQLite's own rule).
    public var checkpointIntervalMilliseconds: Int
    /// The time budget of every read statement (0: none).
    public var readBudgetMilliseconds: Int
    /// Pooled read connections (0: the store's default).
    public var readPoolSize: Int
    /// SQLite: refresh the planner's statistics at start and then this often (0: never).
    public var statisticsIntervalMilliseconds = 0

    /// Without an interval, the store's own default.
    public init(checkpointIntervalMilliseconds: Int? = nil, readBudgetMilliseconds: Int = 0, readPoolSize: Int = 0) {
        self.checkpointIntervalMilliseconds = checkpointIntervalMilliseconds ?? DatabaseConfiguration().checkpointIntervalMilliseconds
        self.readBudgetMilliseconds = readBudgetMilliseconds
        self.readPoolSize = readPoolSize
    }
}

/// One read connection, opaque above the domain: servers pass it to domain services, which
/// read through it in the caller's snapshot. Loop-confined like the connection it wraps.
public struct ReadHandle {
    package let connection: any SQLConnection
    /// The loop turn this handle reads in, if any: its revocation counter is read once a turn.
    package let turn: TurnSnapshot?

    package init(_ connection: any SQLConnection, turn: TurnSnapshot? = nil) {
        self.connection = connection
        self.turn = turn
    }

    /// Runs `body` in one read transaction (one consistent view for everything it reads).
    public func snapshot<T>(_ body: () throws -> T) throws -> T { try connection.snapshot(body) }

    /// The revocation counter as this handle sees it (a turn's: read once per turn).
    public func revocationGeneration() throws -> Int64 {
        try turn?.revocationGeneration() ?? RevocationCounter().current(on: connection)
    }
}

/// An event loop's read connection in one read transaction per loop turn (`TurnSnapshot`):
/// every request the turn serves reads the same snapshot under one WAL lock.
public final class ReadTurn {
    package let snapshot: TurnSnapshot

    public init(_ handle: ReadHandle) { snapshot = TurnSnapshot(handle.connection) }

    /// A turn on a read connection of its own, replaced when it breaks (a database restart).
    public init(storage: Storage) throws {
        let database = storage.database
        snapshot = TurnSnapshot(try database.openReader(), reopen: { try database.openReader() })
    }

    public var handle: ReadHandle { ReadHandle(snapshot.connection, turn: snapshot) }

    /// The revocation counter as of this turn's snapshot (read once per turn).
    public func revocationGeneration() throws -> Int64 { try snapshot.revocationGeneration() }

    public func read<T>(_ body: () throws -> T) throws -> T { try snapshot.read(body) }

    public func endTurn() { snapshot.endTurn() }
}
