public import DeskgateSQL
import CSQLite

/// One SQLite connection, opened NOMUTEX: the caller guarantees one thread at a time.
///
/// Not Sendable on purpose: Swift then enforces the confinement. Event loops keep one
/// each (`Database.openReader()`), the pool lends them out, and the writer thread owns
/// the only read-write one.
public final class SQLiteConnection: SQLConnection {
    package let handle: OpaquePointer
    public let isReadOnly: Bool
    private var statementCache = StatementTable()
    /// How many statements this connection has compiled; lets tests and metrics see cache hits.
    public private(set) var preparedStatementCount = 0
    /// The statements' time budget (`limitStatements`); read by SQLite's progress handler.
    private let budget: UnsafeMutablePointer<StatementBudget>

    /// Opens `path`. Read-write connections create the file; read-only ones require it.
    package init(path: String, readOnly: Bool, busyTimeoutMilliseconds: Int32) throws {
        SQLiteLibrary.configureOnce()
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_NOMUTEX | (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw StoreError.sqlite(extendedCode: rc, message: "\(message) (\(path))")
        }
        handle = db
        isReadOnly = readOnly
        budget = .allocate(capacity: 1)
        budget.initialize(to: StatementBudget())
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        try execute(script: "PRAGMA foreign_keys=ON")
    }

    deinit {
        // Finalize cached statements first; close_v2 then closes (or defers until any
        // statement still held elsewhere is finalized).
        statementCache.removeAll()
        sqlite3_close_v2(handle)
        budget.deinitialize(count: 1)
        budget.deallocate()
    }

    // MARK: time budget

    /// Stops every statement that runs longer than `milliseconds` with
    /// `StoreError.overBudget` (0: no limit). Scripts (`execute(script:)`: transaction control,
    /// pragmas, migrations) are never stopped.
    public func limitStatements(toMilliseconds milliseconds: Int) {
        budget.pointee.limitNanoseconds = UInt64(max(0, milliseconds)) * 1_000_000
        if milliseconds > 0 {
            sqlite3_progress_handler(handle, StatementBudget.checkInterval, statementBudgetCheck, UnsafeMutableRawPointer(budget))
        } else {
            sqlite3_progress_handler(handle, 0, nil, nil)
        }
    }

    /// The budget in force, 0 for none.
    public var statementBudgetMilliseconds: Int { budget.pointee.milliseconds }

    // MARK: statements

    /// A cached statement for `sql` (compiled once with SQLITE_PREPARE_PERSISTENT), or a fresh
    /// one if the cached statement is being stepped further up the stack.
    func statement(_ sql: String) throws -> Statement {
        if let cached = statementCache[sql] {
            if !cached.inUse { return cached }
            return try prepare(sql, persistent: false)
        }
        let statement = try prepare(sql, persistent: true)
        statementCache.insert(statement, for: sql)
        return statement
    }

    public var cachedStatementCount: Int { statementCache.count }

    private func prepare(_ sql: String, persistent: Bool) throws -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            // SQL text is ours (values are always bound), so it is safe to quote in the error.
            throw StoreError.sqlite(extendedCode: sqlite3_extended_errcode(handle), message: "\(lastErrorMessage) in: \(sql)")
        }
        preparedStatementCount += 1
        return Statement(handle: stmt, database: handle)
    }

    public var dialect: SQLDialect { .sqlite }

    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` with `sql` prepared and bound, then resets the statement whatever happens.
    func withStatement<T>(_ sql: String, _ values: [any SQLBindable], _ body: (Statement) throws -> T) throws -> T {
        let stmt = try statement(sql)
        stmt.inUse = true
        if budget.pointee.depth == 0 {
            budget.pointee.startNanoseconds = 0
            budget.pointee.tripped = false
        }
        budget.pointee.depth += 1
        defer {
            budget.pointee.depth -= 1
            stmt.reset()
            stmt.inUse = false
        }
        try stmt.bind(values)
        do {
            return try body(stmt)
        } catch let error as StoreError where budget.pointee.tripped {
            // SQLITE_INTERRUPT from the budget's handler (or an error of a nested statement
            // it stopped): the caller learns which budget, not an engine code.
            if case .overBudget = error { throw error }
            throw StoreError.overBudget(milliseconds: budget.pointee.milliseconds)
        }
    }

    @discardableResult
    public func run(_ sql: String, bindings: [any SQLBindable]) throws -> Int {
        try withStatement(sql, bindings) { stmt in
            while try stmt.step() {}
            return Int(sqlite3_changes(handle))
        }
    }

    public func readFirstRow(_ sql: String, bindings: [any SQLBindable], _ body: (any SQLRow) throws -> Void) throws -> Bool {
        try withStatement(sql, bindings) { stmt in
            guard try stmt.step() else { return false }
            try body(stmt)
            return true
        }
    }

    public func readRows(_ sql: String, bindings: [any SQLBindable], _ body: (any SQLRow) throws -> Void) throws {
        try withStatement(sql, bindings) { stmt in
            while try stmt.step() { try body(stmt) }
        }
    }

    /// Runs several semicolon-separated statements without parameters (migrations, pragmas,
    /// transaction control). Never pass values here: there is no binding.
    public func execute(script: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, script, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw StoreError.sqlite(extendedCode: sqlite3_extended_errcode(handle), message: message)
        }
    }

    private var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    // MARK: diagnostics

    /// Reads a pragma's current value as text, e.g. `pragma("journal_mode")` → "wal".
    public func pragma(_ name: String) throws -> String? {
        precondition(name.allSatisfy { $0.isLetter || $0 == "_" }, "pragma names are identifiers")
        return try queryOne("PRAGMA \(name)") { $0.optionalString(0) } ?? nil
    }
}

/// Process-wide SQLite settings that must be applied before the first connection opens.
enum SQLiteLibrary {
    /// Global `let` initialisers run exactly once, thread-safely.
    private static let configured: Bool = {
        // The memory-statistics mutex is global: with it on, two threads barely scaled (1.2x).
        // Returns SQLITE_MISUSE if something opened a connection first; that only costs speed.
        _ = shim_sqlite_disable_memstatus()
        return true
    }()

    static func configureOnce() { _ = configured }
}

extension SQLiteConnection {
    /// How one PASSIVE write-ahead-log checkpoint round ended.
    package enum CheckpointRound: Equatable {
        /// Every frame in the log is now in the database file.
        case complete
        /// Some frames stayed (a reader still needs them, or another checkpoint was running).
        case partial
        case failed(code: Int32)
    }

    /// Copies what it can of the log back into the database without taking the write lock
    /// or waiting for readers.
    package func checkpointPassive() -> CheckpointRound {
        var logFrames: Int32 = 0, copied: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied)
        // BUSY: another process's checkpoint is running; it does the same work.
        if rc == SQLITE_BUSY { return .partial }
        if rc != SQLITE_OK { return .failed(code: rc) }
        return copied >= logFrames ? .complete : .partial
    }
}
