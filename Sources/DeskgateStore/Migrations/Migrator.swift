import DeskgateSQL
import DeskgateModel
import DeskgateSystem

/// Applies `Migration.all` to a read-write connection.
///
/// Each migration runs in its own write transaction and re-checks whether it is already applied
/// inside that transaction, so two processes starting at once (CLI and a server) cannot both
/// apply it: SQLite's BEGIN IMMEDIATE takes the one write lock; on PostgreSQL, where writers
/// run side by side, the whole run holds an advisory lock that only migrators take.
struct Migrator {
    let migrations: [Migration]

    init(migrations: [Migration] = Migration.all) {
        precondition(zip(migrations, migrations.dropFirst()).allSatisfy { $0.version < $1.version },
                     "migrations must be in increasing version order")
        self.migrations = migrations
    }

    /// Returns the versions it applied (empty when the database was already current).
    @discardableResult
    func migrate(_ db: any SQLConnection) throws -> [Int] {
        if db.dialect == .postgres {
            // Processes starting together would race to create the ledger itself (PostgreSQL's
            // catalog refuses the second CREATE TABLE IF NOT EXISTS): one migrator at a time.
            _ = try db.queryOne("SELECT pg_advisory_lock(\(Self.advisoryLockKey))") { _ in true }
        }
        defer {
            if db.dialect == .postgres {
                _ = try? db.queryOne("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))") { _ in true }
            }
        }
        // A server's role may not create tables (`deskgate store grant-server-role`): once the
        // ledger exists, reading it is all a current database asks of it.
        let hasLedger = db.dialect == .postgres
            ? try db.queryOne(Self.ledgerExists) { $0.int(0) } == 1
            : false
        if !hasLedger { try db.execute(script: Self.ledger(db.dialect)) }
        let known = migrations.last?.version ?? 0
        let current = try currentVersion(db)
        if current > known { throw StoreError.schemaTooNew(databaseVersion: current, knownVersion: known) }

        var applied: [Int] = []
        for migration in migrations where migration.version > current {
            if try apply(migration, to: db) { applied.append(migration.version) }
        }
        return applied
    }

    /// Whether the ledger is in the schema the connection creates tables in (PostgreSQL): not
    /// `to_regclass`, which would also find one further down the search path.
    static let ledgerExists = """
        SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'
        """

    /// PostgreSQL advisory-lock key of the migrator ("dgmigrat" as 8 ASCII bytes).
    static let advisoryLockKey: Int64 = 0x6467_6D69_6772_6174

    /// The table of applied versions, the same on both engines.
    static func ledger(_ dialect: SQLDialect) -> String {
        let sqlite = """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at INTEGER NOT NULL  -- unix milliseconds
            ) STRICT;
            """
        return dialect == .sqlite ? sqlite : PostgresDDL.tables(sqlite)
    }

    func currentVersion(_ db: any SQLConnection) throws -> Int {
        try db.queryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") { $0.int(0) } ?? 0
    }

    private func apply(_ migration: Migration, to db: any SQLConnection) throws -> Bool {
        try db.execute(script: db.dialect.beginWrite)
        do {
            let alreadyApplied = try db.queryOne(
                "SELECT 1 FROM schema_migrations WHERE version = ?1", migration.version) { _ in true } ?? false
            if alreadyApplied {
                try db.execute(script: "COMMIT")
                return false
            }
            try db.execute(script: migration.sql(for: db.dialect))
            try db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                       migration.version, migration.name, WallClock.milliseconds())
            if db.dialect == .sqlite {
                // user_version mirrors the schema version for tools like the sqlite3 shell.
                try db.execute(script: "PRAGMA user_version = \(migration.version)")
            }
            try db.execute(script: "COMMIT")
            return true
        } catch {
            if !db.isAutocommit { try? db.execute(script: "ROLLBACK") }
            throw StoreError.migrationFailed(version: migration.version, name: migration.name,
                                             message: String(describing: error))
        }
    }
}
