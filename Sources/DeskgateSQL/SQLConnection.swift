/// One database connection as the store's repositories use it, whichever engine is behind
/// it (SQLite on the embedded default, PostgreSQL to scale out).
///
/// The SQL the repositories write is one text for both engines: parameters are numbered
/// `?1`, `?2`, … (a PostgreSQL connection rewrites them to `$1`, `$2`, …), and where the
/// engines differ a repository asks `dialect`. Values are always bound, never spliced in.
///
/// Not Sendable by design: a connection lives on one thread at a time (an event loop's own,
/// one lent by a pool, or the writer's), and Swift enforces that through this protocol too.
public protocol SQLConnection: AnyObject {
    /// Which engine this is, for the few statements that differ.
    var dialect: SQLDialect { get }

    /// True inside an explicit transaction (`BEGIN` … `COMMIT`). After a failed statement it
    /// also tells whether the engine ended the transaction on its own.
    var isInTransaction: Bool { get }

    /// True once the connection to the database server is lost for good: every further call
    /// fails, so a pool drops it instead of lending it again. (An embedded engine has no server
    /// to lose; the default is false.)
    var isBroken: Bool { get }

    /// True inside a transaction that a failed statement has spoiled: every further statement
    /// but ROLLBACK fails (PostgreSQL). SQLite keeps a transaction usable after a failed
    /// statement; the default is false.
    var isTransactionFailed: Bool { get }

    /// Runs `body` with row-level security opened to every tenant (PostgreSQL), and closes it
    /// again before returning: for the few deployment-wide statements that must see all
    /// tenants' rows (a token found by its hash before its tenant is known, batched last-use
    /// times, sweeps). Kept out of everything else, so a forgotten tenant filter stays walled.
    func acrossTenants<T>(_ body: () throws -> T) throws -> T

    /// Hands the result's first row to `body`; false when there is none. (`queryOne` is the
    /// form to call. The requirements are not generic so that each engine's are compiled for
    /// real: a generic requirement called through `any SQLConnection` runs unspecialized,
    /// ~2k instructions a request on the hot path, callgrind.)
    func readFirstRow(_ sql: String, bindings: [any SQLBindable], _ body: (any SQLRow) throws -> Void) throws -> Bool

    /// Hands every row of the result to `body`, in order. (`queryAll` is the form to call.)
    func readRows(_ sql: String, bindings: [any SQLBindable], _ body: (any SQLRow) throws -> Void) throws

    /// Runs one statement to completion; returns how many rows it changed.
    @discardableResult
    func run(_ sql: String, bindings: [any SQLBindable]) throws -> Int

    /// Runs parameterless statements separated by semicolons (schema, transaction control).
    /// Never pass values here: there is no binding.
    func execute(script: String) throws
}

extension SQLConnection {
    /// The first row `map` makes of the result, or nil when there is none.
    @inlinable
    public func queryOne<T>(_ sql: String, bindings: [any SQLBindable], map: (any SQLRow) throws -> T) throws -> T? {
        var value: T?
        _ = try readFirstRow(sql, bindings: bindings) { value = try map($0) }
        return value
    }

    /// Every row of the result, mapped in order.
    @inlinable
    public func queryAll<T>(_ sql: String, bindings: [any SQLBindable], map: (any SQLRow) throws -> T) throws -> [T] {
        var values: [T] = []
        try readRows(sql, bindings: bindings) { values.append(try map($0)) }
        return values
    }

    @inlinable
    public func queryOne<T>(_ sql: String, _ values: any SQLBindable..., map: (any SQLRow) throws -> T) throws -> T? {
        try queryOne(sql, bindings: values, map: map)
    }

    @inlinable
    public func queryAll<T>(_ sql: String, _ values: any SQLBindable..., map: (any SQLRow) throws -> T) throws -> [T] {
        try queryAll(sql, bindings: values, map: map)
    }

    @discardableResult
    public func run(_ sql: String, _ values: any SQLBindable...) throws -> Int {
        try run(sql, bindings: values)
    }

    /// Outside any explicit transaction (each statement commits on its own).
    public var isAutocommit: Bool { !isInTransaction }

    /// An embedded engine has no server to lose.
    public var isBroken: Bool { false }

    public var isTransactionFailed: Bool { false }

    /// An engine without row-level security sees every tenant anyway.
    public func acrossTenants<T>(_ body: () throws -> T) throws -> T { try body() }

    /// Runs `body` inside one read transaction: one consistent view for every query of a
    /// request, and one lock instead of one per statement (on SQLite each autocommit read
    /// costs a pair of fcntl lock calls: 7 % of an MCP request's CPU, measured with perf).
    /// Nested calls join the outer transaction.
    public func snapshot<T>(_ body: () throws -> T) throws -> T {
        guard !isInTransaction else { return try body() }
        try run("BEGIN")
        do {
            let result = try body()
            // A read whose failed statement the body caught and answered (a tool error) left
            // PostgreSQL's transaction spoiled: there is nothing to commit, and its answer stands.
            if isTransactionFailed {
                try execute(script: "ROLLBACK")
                return result
            }
            // The engine ended the transaction itself (SQLite may, after an interrupted statement).
            if isAutocommit { return result }
            try run("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute(script: "ROLLBACK") }
            throw error
        }
    }
}

/// The engines the store speaks.
public enum SQLDialect: String, Sendable, Equatable {
    case sqlite
    case postgres
}

extension SQLDialect {
    /// Begins a transaction that will write. SQLite takes the write lock at once (a deferred
    /// BEGIN that later writes can fail with BUSY instead of waiting); PostgreSQL locks rows
    /// as it goes.
    public var beginWrite: String {
        switch self {
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgres: "BEGIN"
        }
    }
}
