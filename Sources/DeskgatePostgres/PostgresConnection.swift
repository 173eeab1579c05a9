public import DeskgateSQL
import CPostgres

/// One PostgreSQL connection (libpq, blocking calls): the caller guarantees one thread at a
/// time, as with SQLite's, and Swift enforces that since the class is not Sendable.
///
/// Every statement with bindings is prepared once per connection, by text and parameter types,
/// and executed by name after that. Results are fetched whole in text format (no single-row
/// mode: `readFirstRow` reads what the server sends; the store's one-row queries ask for one).
public final class PostgresConnection: SQLConnection {
    let handle: OpaquePointer
    private var statements = PreparedStatements()
    /// The tenant this session's `deskgate.tenant` names, as far as this connection knows: nil
    /// until it sets one, and again after anything that may have undone the setting (a
    /// rollback, a failed statement inside a transaction).
    private var sessionTenant: Int64?
    /// How many statements this connection has prepared; lets tests and metrics see cache hits.
    public private(set) var preparedStatementCount = 0
    /// The session's `statement_timeout` as set by `limitStatements`, 0 for none.
    public private(set) var statementBudgetMilliseconds = 0

    /// Connects to the server `url` names: a `postgresql://` or `postgres://` URI (with
    /// `?host=/socket/dir`, `sslmode=`, … as libpq reads them) or a `keyword=value` list. A
    /// password may come from the URL, PGPASSWORD or the PGPASSFILE libpq reads by itself.
    /// Throws `StoreError.unavailable` with libpq's reason, the password masked.
    public init(url: String) throws {
        // Later entries override what the expanded URL says: the store reads and writes UTF-8
        // whatever the URL asks. Earlier ones are defaults it may override: libpq would wait
        // for an unreachable host without end.
        let settings: [(String, String)] = [
            ("connect_timeout", "10"),
            ("dbname", url),
            ("client_encoding", "UTF8"),
            ("fallback_application_name", "deskgate"),
        ]
        let connection = Self.withCStrings(settings.map(\.0)) { keywords in
            Self.withCStrings(settings.map(\.1)) { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let connection else { throw StoreError.unavailable("libpq could not allocate a connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = Self.firstLine(PQerrorMessage(connection))
            PQfinish(connection)
            throw StoreError.unavailable(PostgresURL.scrubbing(reason, passwordOf: url))
        }
        handle = connection
        // Notices (e.g. "table does not exist, skipping") would go to stderr; the store has no
        // use for them. Set once connected: libpq offers no hook before.
        PQsetNoticeReceiver(handle, { _, _ in }, nil)
        // No JIT: PostgreSQL compiles a statement's expressions once its estimated cost passes
        // jit_above_cost, which the listing walks of a large tenant do; compiling took 15 ms of
        // a 60 ms walk (issue 16), and no statement here runs long enough to win it back. A SET,
        // not the startup `options`, which connection poolers refuse.
        _ = try? execute(script: "SET jit = off")
    }

    deinit {
        PQfinish(handle)
    }

    public var dialect: SQLDialect { .postgres }

    /// Inside a transaction block, failed or not. A lost connection has none: the server ended
    /// it (libpq then reports an unknown status).
    public var isInTransaction: Bool {
        switch PQtransactionStatus(handle) {
        case PQTRANS_INTRANS, PQTRANS_INERROR, PQTRANS_ACTIVE: true
        default: false
        }
    }

    public var isTransactionFailed: Bool { PQtransactionStatus(handle) == PQTRANS_INERROR }

    /// The connection to the server is gone; every further call throws `StoreError.unavailable`.
    public var isBroken: Bool { PQstatus(handle) == CONNECTION_BAD }

    /// The server process serving this connection (`pg_backend_pid()`).
    public var backendProcessID: Int32 { PQbackendPID(handle) }

    public var cachedStatementCount: Int { statements.count }

    /// Sets the session's `statement_timeout` (0: none): a statement running longer is
    /// cancelled by the server (SQLSTATE 57014) and fails with `StoreError.overBudget`; inside
    /// a transaction that transaction has failed, and its owner rolls it back. Call outside a
    /// transaction, so the setting is the session's.
    public func limitStatements(toMilliseconds milliseconds: Int) throws {
        let value = max(0, milliseconds)
        try execute(script: "SET statement_timeout = \(value)")
        statementBudgetMilliseconds = value
    }

    // MARK: SQLConnection

    public func readFirstRow(_ sql: String, bindings: [any SQLBindable], _ body: (any SQLRow) throws -> Void) throws -> Bool {
        try withResult(sql, bindings) { result in
            guard PQntuples(result) > 0 else { return false }
            try body(PostgresRow(result: result, row: 0))
            return true
        }
    }

    public func readRows(_ sql: String, bindings: [any SQLBindable], _ body: (any SQLRow) throws -> Void) throws {
        try withResult(sql, bindings) { result in
            for row in 0..<PQntuples(result) { try body(PostgresRow(result: result, row: row)) }
        }
    }

    /// Returns the count in the server's command tag: rows inserted, updated or deleted (for a
    /// SELECT, rows returned).
    @discardableResult
    public func run(_ sql: String, bindings: [any SQLBindable]) throws -> Int {
        try withResult(sql, bindings) { result in
            // Empty for statements that count nothing (DDL, BEGIN).
            Int(String(cString: PQcmdTuples(result))) ?? 0
        }
    }

    /// Runs parameterless statements separated by semicolons (schema, transaction control) in
    /// one round trip. Never pass values here: there is no binding. Anything but transaction
    /// control may change the schema under the cached plans, so it drops them all.
    public func execute(script: String) throws {
        let keywords = SQLCode.leadingKeywords(script)
        if !keywords.allSatisfy(Self.transactionControl.contains) { statements.invalidateAll() }
        if keywords.contains("ROLLBACK") || keywords.contains("ABORT") { sessionTenant = nil }
        let result = PQexec(handle, script)
        defer { PQclear(result) }
        do {
            try check(result, keywords: keywords)
        } catch {
            // A failed script (a COMMIT the server rolled back among them) may have undone it.
            sessionTenant = nil
            throw error
        }
    }

    private static let transactionControl: Set<String> = ["BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE"]

    // MARK: statements

    /// Runs `sql` as a prepared statement and hands `body` the successful result.
    private func withResult<T>(_ sql: String, _ bindings: [any SQLBindable], _ body: (OpaquePointer) throws -> T) throws -> T {
        // Row-level security: the policies read the session's tenant (migration 11).
        for case let tenant as RowTenant in bindings where tenant.id != sessionTenant {
            try nameTenant(tenant.id)
            break
        }
        do {
            return try prepared(sql, bindings, body)
        } catch {
            if PQtransactionStatus(handle) != PQTRANS_IDLE { sessionTenant = nil }
            throw error
        }
    }

    public func acrossTenants<T>(_ body: () throws -> T) throws -> T {
        try prepared("SELECT set_config('deskgate.tenant', 'all', false)", []) { _ in }
        sessionTenant = nil
        defer {
            // Closed again at once; if that fails the transaction failed, and its rollback
            // undoes the opening too.
            _ = try? prepared("SELECT set_config('deskgate.tenant', '', false)", []) { _ in }
            sessionTenant = nil
        }
        return try body()
    }

    /// Sets `deskgate.tenant` for the session (not only the transaction: statements outside
    /// one need it too). A rollback undoes it, which `execute(script:)` and `withResult` note.
    private func nameTenant(_ id: Int64) throws {
        try prepared("SELECT set_config('deskgate.tenant', ?1, false)", [String(id)]) { _ in }
        sessionTenant = id
    }

    private func prepared<T>(_ sql: String, _ bindings: [any SQLBindable], _ body: (OpaquePointer) throws -> T) throws -> T {
        let parameters = try PostgresParameters(bindings)
        let key = PreparedStatements.Key(sql: sql, types: parameters.types)
        var result = try execute(statements[key] ?? prepare(key), parameters)
        // DDL since the statement was prepared (here or by another connection) changed its
        // result shape, or the server lost it. Outside a transaction nothing was done, so
        // preparing again and retrying once is safe; inside one the transaction has failed, and
        // the caller must roll back (the next use prepares afresh).
        if let state = failedState(result), state == .cachedPlanChanged || state == .missingPreparedStatement {
            statements.invalidateAll()
            if PQtransactionStatus(handle) == PQTRANS_IDLE {
                PQclear(result)
                result = try execute(prepare(key), parameters)
            }
        }
        defer { PQclear(result) }
        try check(result, statement: sql)
        return try body(result!)
    }

    private func prepare(_ key: PreparedStatements.Key) throws -> PreparedStatement {
        let text = try PostgresStatementText(rewriting: key.sql)
        guard text.parameterCount == key.types.count else {
            throw StoreError.invalidInput("statement takes \(text.parameterCount) parameter(s), \(key.types.count) bound, in: \(key.sql)")
        }
        try payDeallocation()
        let name = statements.nextName()
        let result = key.types.withUnsafeBufferPointer { types in
            PQprepare(handle, name, text.text, Int32(types.count), types.baseAddress)
        }
        defer { PQclear(result) }
        guard let result, PQresultStatus(result) == PGRES_COMMAND_OK else { throw failure(result, sql: key.sql) }
        preparedStatementCount += 1
        let statement = PreparedStatement(name: name, parameterCount: text.parameterCount)
        statements.insert(statement, for: key)
        return statement
    }

    /// Drops the statements the cache forgot, once the server can take a command (not inside a
    /// failed transaction).
    private func payDeallocation() throws {
        guard statements.deallocationOwed, PQtransactionStatus(handle) != PQTRANS_INERROR else { return }
        let result = PQexec(handle, "DEALLOCATE ALL")
        defer { PQclear(result) }
        try check(result)
        statements.deallocated()
    }

    private func execute(_ statement: PreparedStatement, _ parameters: PostgresParameters) -> OpaquePointer? {
        parameters.withLibpqArrays { values, lengths, formats in
            PQexecPrepared(handle, statement.name, Int32(parameters.count), values, lengths, formats, 0)
        }
    }

    // MARK: results and errors

    /// The SQLSTATE of a failed result, nil for a successful one.
    private func failedState(_ result: OpaquePointer?) -> SQLState? {
        guard let result, PQresultStatus(result) == PGRES_FATAL_ERROR,
              let state = PQresultErrorField(result, shim_PG_DIAG_SQLSTATE) else { return nil }
        return SQLState(String(cString: state))
    }

    /// Throws unless `result` succeeded. The statements that ran (their `keywords`, or the
    /// `statement` to find them in) catch a COMMIT the server turned into a ROLLBACK because the
    /// transaction had failed earlier: PostgreSQL reports that as success, and the writes would
    /// vanish silently.
    func check(_ result: OpaquePointer?, keywords: [String]? = nil, statement: String? = nil) throws {
        guard let result else { throw failure(nil, sql: nil) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            break
        case PGRES_FATAL_ERROR, PGRES_BAD_RESPONSE:
            throw failure(result, sql: nil)
        default:
            // Pipelines, and COPY outside `copyIn` (PostgresCopyIn.swift): the store uses neither.
            throw StoreError.engine(code: SQLState.noStateCode, message: "unsupported result status \(String(cString: PQresStatus(PQresultStatus(result))))")
        }
        // The first byte spares a String for every other command tag.
        if let tag = PQcmdStatus(result), tag.pointee == CChar(UInt8(ascii: "R")), String(cString: tag) == "ROLLBACK",
           let last = (keywords ?? statement.map(SQLCode.leadingKeywords))?.last, last == "COMMIT" || last == "END" {
            throw StoreError.engine(code: SQLState.failedTransaction.code,
                                    message: "COMMIT rolled back: a statement of the transaction had failed")
        }
    }

    /// The error `result` (or, with none, the connection) reports. Only the primary message is
    /// used: DETAIL and the full error text can repeat bound values. `sql` (the program's own
    /// text, values are bound) is quoted when a statement could not be prepared.
    func failure(_ result: OpaquePointer?, sql: String?) -> StoreError {
        let state = result.flatMap { PQresultErrorField($0, shim_PG_DIAG_SQLSTATE) }.flatMap { SQLState(String(cString: $0)) }
        var message = result.flatMap { PQresultErrorField($0, shim_PG_DIAG_MESSAGE_PRIMARY) }.map { String(cString: $0) }
            // libpq's own errors (connection lost, out of memory) have no fields, and only
            // name the connection, never a value.
            ?? Self.firstLine(result.map { PQresultErrorMessage($0) } ?? PQerrorMessage(handle))
        if state == .queryCanceled, statementBudgetMilliseconds > 0, !isBroken {
            return .overBudget(milliseconds: statementBudgetMilliseconds)
        }
        if let sql { message += " in: \(sql)" }
        return .postgres(state: state, message: message, connectionLost: isBroken)
    }

    private static func firstLine(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown libpq error" }
        let line = String(cString: text).split(separator: "\n", maxSplits: 1).first ?? ""
        let trimmed = line.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
        return trimmed.isEmpty ? "unknown libpq error" : String(trimmed)
    }

    /// Calls `body` with `strings` as a NULL-terminated array of C strings.
    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        var bytes: [CChar] = []
        var offsets: [Int] = []
        for string in strings {
            offsets.append(bytes.count)
            bytes.append(contentsOf: string.utf8.map { CChar(bitPattern: $0) })
            bytes.append(0)
        }
        return bytes.withUnsafeBufferPointer { buffer in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { buffer.baseAddress! + $0 } + [nil]
            return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
        }
    }
}
