public import DeskgateSQL
import DeskgateSQLite
import DeskgatePostgres
import Foundation

/// Where the database lives: a SQLite file (the embedded default) or a PostgreSQL server.
///
/// Every program takes the same `--database` text: a path, or a `postgres://` /
/// `postgresql://` URL as libpq reads it (`?host=/socket/dir`, `sslmode=`, a password from the
/// URL, `PGPASSFILE` or `PGPASSWORD`).
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case postgres(url: String)

    public init(_ text: String) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            self = .file(text)
        }
    }

    public var dialect: SQLDialect {
        switch self {
        case .file: .sqlite
        case .postgres: .postgres
        }
    }

    /// Safe to print or log: a URL's password is masked.
    public var description: String {
        switch self {
        case let .file(path): path
        case let .postgres(url): PostgresURL.redacted(url)
        }
    }

    /// A connection for reading. SQLite opens the file read-only; a PostgreSQL session is made
    /// read-only by default, so a stray write on a reader fails instead of committing outside
    /// the writer's transaction.
    /// Whether a Deskgate database is there already (its migration ledger exists), without
    /// creating or migrating anything: a file that exists, or a PostgreSQL database with the
    /// ledger table. Throws when a server cannot be reached.
    public func holdsDeskgate() throws -> Bool {
        switch self {
        case let .file(path):
            return FileManager.default.fileExists(atPath: path)
        case .postgres:
            let connection = try openReader(configuration: DatabaseConfiguration())
            return try connection.queryOne(Migrator.ledgerExists) { $0.int(0) } == 1
        }
    }

    func openReader(configuration: DatabaseConfiguration) throws -> any SQLConnection {
        switch self {
        case let .file(path):
            let connection = try SQLiteConnection(path: path, readOnly: true,
                                                  busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
            // Durability is the writer's concern; readers never commit.
            try connection.execute(script: "PRAGMA synchronous=NORMAL")
            connection.limitStatements(toMilliseconds: configuration.readBudgetMilliseconds)
            return connection
        case let .postgres(url):
            let connection = try PostgresConnection(url: url)
            try connection.execute(script: "SET default_transaction_read_only = on")
            if configuration.readBudgetMilliseconds > 0 {
                try connection.limitStatements(toMilliseconds: configuration.readBudgetMilliseconds)
            }
            return connection
        }
    }
}
