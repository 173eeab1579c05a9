import DeskgatePostgres
import DeskgateSQL

/// The target's foreign keys, dropped before the bulk load and added again after it, inside the
/// copy's transaction. Live, each copied row costs a lookup per key in its parents (a message:
/// four); added again, PostgreSQL validates each key once over the whole table with one join,
/// and a row without its parent fails the copy then, as it would have failed its COPY. The
/// definitions are PostgreSQL's own (`pg_get_constraintdef`), names kept; a rollback restores
/// the originals by itself.
struct PostgresForeignKeyPause {
    struct ForeignKey: Equatable {
        let table: String
        let name: String
        let definition: String
    }

    let connection: PostgresConnection
    let dropped: [ForeignKey]

    static func drop(_ connection: PostgresConnection) throws -> PostgresForeignKeyPause {
        let keys = try foreignKeys(connection)
        for key in keys {
            try connection.execute(script: "ALTER TABLE \(Identifier.quoted(key.table)) DROP CONSTRAINT \(Identifier.quoted(key.name))")
        }
        return PostgresForeignKeyPause(connection: connection, dropped: keys)
    }

    /// Adds the dropped keys of the tables `including` admits, each validated over every row.
    func restore(_ including: (String) -> Bool) throws {
        for key in dropped where including(key.table) {
            try connection.execute(script: "ALTER TABLE \(Identifier.quoted(key.table)) ADD CONSTRAINT \(Identifier.quoted(key.name)) \(key.definition)")
        }
    }

    /// Every dropped key is back, as it was defined, and validated.
    func check(target: DatabaseLocation) throws {
        let now = try Self.foreignKeys(connection)
        let unvalidated = try connection.queryOne("""
            SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
            WHERE n.nspname = current_schema() AND k.contype = 'f' AND NOT k.convalidated
            """) { $0.int(0) } ?? 0
        guard now == dropped, unvalidated == 0 else {
            throw CopyError.constraintsNotRestored(target: target.description,
                                                   constraints: Set(dropped.map(\.name)).symmetricDifference(now.map(\.name)).sorted())
        }
    }

    private static func foreignKeys(_ connection: PostgresConnection) throws -> [ForeignKey] {
        try connection.queryAll("""
            SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND k.contype = 'f'
            ORDER BY c.relname, k.conname
            """) { ForeignKey(table: $0.string(0), name: $0.string(1), definition: $0.string(2)) }
    }
}
