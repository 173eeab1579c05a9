/// Errors from the store. Messages come from the engine (table and column names) and never
/// carry bound values: those may be password hashes, token hashes or customer text.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A UNIQUE, CHECK, NOT NULL or FOREIGN KEY constraint refused the write.
    case constraintViolation(code: Int32, message: String)
    /// The database stayed locked by another connection past `busy_timeout`.
    case busy(code: Int32, message: String)
    /// Any other engine failure (the code is the engine's: SQLite's result code, or a
    /// PostgreSQL SQLSTATE packed by its connection).
    case engine(code: Int32, message: String)
    /// The file was migrated by a newer binary; running older code against it could corrupt it.
    case schemaTooNew(databaseVersion: Int, knownVersion: Int)
    /// A migration failed; nothing of it was applied.
    case migrationFailed(version: Int, name: String, message: String)
    /// All pooled readers stayed checked out for the whole checkout timeout.
    case readerPoolExhausted(size: Int, waitedMilliseconds: Int)
    /// The write queue (or database) was closed before the job could run.
    case closed
    /// The database server cannot be reached (down, restarting, connection lost); the work
    /// was not done and may be retried once it is back.
    case unavailable(String)
    /// A stored value does not fit the domain type (e.g. an unknown enum string).
    case corruptValue(column: String, value: String)
    /// A caller-supplied value was refused before reaching SQLite (e.g. a malformed slug).
    case invalidInput(String)
    /// A read statement ran past its connection's time budget and was stopped (SQLite's
    /// progress handler, PostgreSQL's `statement_timeout`); the connection stays usable.
    case overBudget(milliseconds: Int)

    public var description: String {
        switch self {
        case let .constraintViolation(code, message): "constraint violation (\(code)): \(message)"
        case let .busy(code, message): "database busy (\(code)): \(message)"
        case let .engine(code, message): "database error (\(code)): \(message)"
        case let .schemaTooNew(db, known):
            "database schema version \(db) is newer than this binary knows (\(known)); upgrade deskgate"
        case let .migrationFailed(version, name, message): "migration \(version) (\(name)) failed: \(message)"
        case let .readerPoolExhausted(size, waited):
            "all \(size) database readers busy for \(waited) ms"
        case .closed: "database is closed"
        case let .unavailable(why): "database unavailable: \(why)"
        case let .corruptValue(column, value): "unexpected stored value for \(column): \(value)"
        case let .invalidInput(why): "invalid input: \(why)"
        case let .overBudget(milliseconds): "the query took longer than its \(milliseconds) ms budget"
        }
    }

    public var isConstraintViolation: Bool {
        if case .constraintViolation = self { return true }
        return false
    }

}
