/// A statement the server holds for this connection, prepared once and executed by name.
struct PreparedStatement {
    let name: String
    let parameterCount: Int
}

/// A connection's prepared statements, by SQL text and parameter types.
///
/// The types are part of the key because the server fixes them when it prepares: the same text
/// bound once with an integer and once with NULL (type unspecified) is two statements. Plain
/// `Dictionary` lookup suffices here, unlike SQLite's table: each use costs a round trip to the
/// server, which dwarfs hashing the text.
struct PreparedStatements {
    struct Key: Hashable {
        let sql: String
        let types: [UInt32]
    }

    private var statements: [Key: PreparedStatement] = [:]
    /// Names are never reused, so a statement the server may still hold under a forgotten name
    /// cannot collide with a new one.
    private var lastNumber = 0
    /// Statements were forgotten while the server could not be told (inside a failed
    /// transaction, or right after DDL); `DEALLOCATE ALL` is owed before the next prepare.
    private(set) var deallocationOwed = false

    subscript(key: Key) -> PreparedStatement? { statements[key] }

    var count: Int { statements.count }

    mutating func nextName() -> String {
        lastNumber += 1
        return "deskgate_\(lastNumber)"
    }

    mutating func insert(_ statement: PreparedStatement, for key: Key) {
        statements[key] = statement
    }

    /// Forgets every statement (their plans may be stale) and owes the server a `DEALLOCATE ALL`.
    mutating func invalidateAll() {
        statements.removeAll()
        deallocationOwed = true
    }

    /// The server dropped them all (`DEALLOCATE ALL` ran).
    mutating func deallocated() {
        statements.removeAll()
        deallocationOwed = false
    }
}
