import DeskgateSQL
import DeskgateSQLite
import FoundationEssentials

/// `deskgate backup` and `deskgate restore` on the embedded SQLite database (issue 20).
///
/// A backup is SQLite's online backup API from a read-only connection: one consistent snapshot
/// taken while the servers keep serving and writing (a write acknowledged before the backup
/// began is in it), written to a new file that is then checked (`PRAGMA integrity_check`,
/// schema version). A restore checks the file the same way, refuses a database that a server is
/// serving or that holds data unless forced, copies the pages over the target with the same API
/// (in one write transaction: a failure leaves the target as it was) and migrates it when the
/// backup is from an older Deskgate. PostgreSQL has its own tools (`pg_dump`, `pg_restore`):
/// both commands say so instead of half doing it.
public enum DatabaseBackup {
    public struct Report: Sendable, Equatable {
        public let schemaVersion: Int
        public let bytes: Int
        /// Rows of `tenants` and `tickets` in the copy, for the operator to recognise it.
        public let tenants: Int
        public let tickets: Int
        /// Migrations applied after a restore of an older backup.
        public let migrated: [Int]
    }

    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case postgres
        case targetExists(String)
        case sourceMissing(String)
        case notADeskgateDatabase(String)
        case damaged(String, String)
        case newerSchema(file: Int, known: Int)
        case live(String)
        case holdsData(String, tenants: Int)

        public var description: String {
            switch self {
            case .postgres:
                "backup and restore here are for SQLite; on PostgreSQL use its own tools: "
                    + "pg_dump --format=custom --file=deskgate.dump \"$URL\" and pg_restore --clean --if-exists --dbname=\"$URL\" deskgate.dump "
                    + "(docs/operations.md)"
            case .targetExists(let path): "\(path) already exists: a backup never overwrites a file; choose a new name"
            case .sourceMissing(let path): "\(path) does not exist"
            case .notADeskgateDatabase(let path): "\(path) is not a Deskgate database (no schema_migrations)"
            case let .damaged(path, report): "\(path) failed PRAGMA integrity_check: \(report)"
            case let .newerSchema(file, known):
                "the backup has schema version \(file); this deskgate knows up to \(known): restore it with a newer deskgate"
            case .live(let path):
                "\(path) is being served (a deskgate-auth or deskgate-mcp holds it): stop the servers first, or pass --force "
                    + "to replace it under them (their caches may then show old data until restarted)"
            case let .holdsData(path, tenants):
                "\(path) holds \(tenants) tenant\(tenants == 1 ? "" : "s"): pass --force to replace it with the backup"
            }
        }
    }

    /// Copies the database at `path` into the new file `target`.
    public static func backup(_ path: String, to target: String) throws -> Report {
        guard case .file = DatabaseLocation(path), case .file = DatabaseLocation(target) else { throw Refusal.postgres }
        guard FileManager.default.fileExists(atPath: path) else { throw Refusal.sourceMissing(path) }
        guard !FileManager.default.fileExists(atPath: target) else { throw Refusal.targetExists(target) }
        try Database.prepareFile(target)
        do {
            let source = try SQLiteConnection(path: path, readOnly: true, busyTimeoutMilliseconds: 5_000)
            let copy = try SQLiteConnection(path: target, readOnly: false, busyTimeoutMilliseconds: 5_000)
            try copy.overwrite(withContentsOf: source)
            // The copy is a file to keep or move: no WAL beside it.
            try copy.execute(script: "PRAGMA journal_mode=DELETE")
            let report = try check(copy, named: target)
            return Report(schemaVersion: report.version, bytes: fileSize(target), tenants: report.tenants,
                          tickets: report.tickets, migrated: [])
        } catch {
            try? FileManager.default.removeItem(atPath: target)
            throw error
        }
    }

    /// Replaces the database at `path` with the backup `file`.
    public static func restore(_ file: String, to path: String, force: Bool) throws -> Report {
        guard case .file = DatabaseLocation(path), case .file = DatabaseLocation(file) else { throw Refusal.postgres }
        guard FileManager.default.fileExists(atPath: file) else { throw Refusal.sourceMissing(file) }
        let backup = try SQLiteConnection(path: file, readOnly: true, busyTimeoutMilliseconds: 5_000)
        let found = try check(backup, named: file)
        guard found.version <= Migration.latestVersion else {
            throw Refusal.newerSchema(file: found.version, known: Migration.latestVersion)
        }
        try Database.prepareFile(path)
        let hold: LiveDatabaseLock?
        switch LiveDatabaseLock.exclusive(path) {
        case .held(let lock): hold = lock
        case .taken:
            if !force { throw Refusal.live(path) }
            hold = nil
        case .unavailable: hold = nil        // no side file to be had: nothing holds it either
        }
        // The lock must outlive the overwrite and the migration: a server starting meanwhile waits.
        return try withExtendedLifetime(hold) {
            let target = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: 10_000)
            if !force, let tenants = try? target.queryOne("SELECT count(*) FROM tenants", map: { $0.int(0) }), tenants > 0 {
                throw Refusal.holdsData(path, tenants: tenants)
            }
            try target.overwrite(withContentsOf: backup)
            let restored = try check(target, named: path)
            let migrated = try Migrator().migrate(target)
            return Report(schemaVersion: migrated.last ?? restored.version, bytes: fileSize(file), tenants: restored.tenants,
                          tickets: restored.tickets, migrated: migrated)
        }
    }

    private static func check(_ db: SQLiteConnection, named path: String) throws -> (version: Int, tenants: Int, tickets: Int) {
        let problems = try db.queryAll("PRAGMA integrity_check") { $0.string(0) }
        guard problems == ["ok"] else {
            throw Refusal.damaged(path, problems.prefix(3).joined(separator: "; "))
        }
        guard let version = try? db.queryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", map: { $0.int(0) }),
              version > 0 else { throw Refusal.notADeskgateDatabase(path) }
        let tenants = try db.queryOne("SELECT count(*) FROM tenants") { $0.int(0) } ?? 0
        let tickets = try db.queryOne("SELECT count(*) FROM tickets") { $0.int(0) } ?? 0
        return (version, tenants, tickets)
    }

    private static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }
}
