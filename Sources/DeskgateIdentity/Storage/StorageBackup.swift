import DeskgateStore

/// `deskgate backup` and `deskgate restore`, as the CLI reaches them without knowing the store:
/// the store's `DatabaseBackup` does the work, states the guarantees and says what it refused.
public enum StorageBackup {
    public struct Report: Sendable {
        public let schemaVersion: Int
        public let bytes: Int
        public let tenants: Int
        public let tickets: Int
        /// Migrations applied to a restored backup of an older Deskgate.
        public let migrated: [Int]

        init(_ report: DatabaseBackup.Report) {
            schemaVersion = report.schemaVersion
            bytes = report.bytes
            tenants = report.tenants
            tickets = report.tickets
            migrated = report.migrated
        }
    }

    /// Copies the database at `path` (the `--database`) into the new file `target`.
    public static func backup(_ path: String, to target: String) throws -> Report {
        Report(try DatabaseBackup.backup(path, to: target))
    }

    /// Replaces the database at `path` with the backup `file`.
    public static func restore(_ file: String, to path: String, force: Bool) throws -> Report {
        Report(try DatabaseBackup.restore(file, to: path, force: force))
    }
}

extension Storage {
    /// Marks the database as served by this process until the returned value is released
    /// (`deskgate restore` then refuses it); nil on PostgreSQL, which has no such file.
    public func holdWhileServing() -> (any Sendable)? {
        guard case .file(let path) = database.location else { return nil }
        return LiveDatabaseLock.holdWhileServing(path)
    }
}
