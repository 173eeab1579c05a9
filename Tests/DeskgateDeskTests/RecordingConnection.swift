import DeskgateSQL

/// A connection that passes every call to `base` and keeps the text and bound values of each
/// statement: tests call the repositories and domain services through it and then study
/// exactly the SQL production runs (plans, `PlanStabilityTests`), not hand-copied SQL.
final class RecordingConnection: SQLConnection {
    /// One statement as it was issued (values as bound, so a record may leave its thread).
    struct Statement: Sendable {
        let sql: String
        let bindings: [SQLValue]
    }

    let base: any SQLConnection
    private(set) var statements: [Statement] = []

    init(_ base: any SQLConnection) { self.base = base }

    /// Forgets what was recorded so far.
    func reset() { statements.removeAll() }

    var dialect: SQLDialect { base.dialect }
    var isInTransaction: Bool { base.isInTransaction }
    var isBroken: Bool { base.isBroken }
    var isTransactionFailed: Bool { base.isTransactionFailed }

    func acrossTenants<T>(_ body: () throws -> T) throws -> T { try base.acrossTenants(body) }

    func readFirstRow(_ sql: String, bindings: [any SQLBindable], _ body: (any SQLRow) throws -> Void) throws -> Bool {
        statements.append(Statement(sql: sql, bindings: bindings.map(\.sqlValue)))
        return try base.readFirstRow(sql, bindings: bindings, body)
    }

    func readRows(_ sql: String, bindings: [any SQLBindable], _ body: (any SQLRow) throws -> Void) throws {
        statements.append(Statement(sql: sql, bindings: bindings.map(\.sqlValue)))
        try base.readRows(sql, bindings: bindings, body)
    }

    @discardableResult
    func run(_ sql: String, bindings: [any SQLBindable]) throws -> Int {
        statements.append(Statement(sql: sql, bindings: bindings.map(\.sqlValue)))
        return try base.run(sql, bindings: bindings)
    }

    /// Scripts (transaction control, pragmas) bind nothing and have no plan worth keeping.
    func execute(script: String) throws { try base.execute(script: script) }
}
