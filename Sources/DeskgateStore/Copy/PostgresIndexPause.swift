import DeskgatePostgres
import DeskgateSQL

/// The target's secondary indexes, dropped before the bulk load and built again after it, inside
/// the copy's transaction: one sorted build per index instead of an insert per row (the GIN
/// search indexes compute a document per message either way, but insert it entry by entry when
/// live). Unique indexes stay, whether a constraint's or not: they enforce what the rows must
/// obey, and foreign keys lean on them. The definitions are PostgreSQL's own
/// (`pg_get_indexdef`), so whatever a migration created comes back as it was; a rollback
/// restores the originals by itself.
struct PostgresIndexPause {
    struct Index: Equatable {
        let table: String
        let name: String
        let definition: String
    }

    let connection: PostgresConnection
    let dropped: [Index]

    /// Memory for each build (for this transaction only): the default 64 MB spills a large GIN
    /// build to disk in many runs.
    static let buildMemory = "256MB"

    static func drop(_ connection: PostgresConnection) throws -> PostgresIndexPause {
        let indexes = try secondaryIndexes(connection)
        for index in indexes {
            try connection.execute(script: "DROP INDEX \(Identifier.quoted(index.name))")
        }
        return PostgresIndexPause(connection: connection, dropped: indexes)
    }

    /// Builds the dropped indexes of the tables `including` admits.
    func rebuild(_ including: (String) -> Bool) throws {
        let due = dropped.filter { including($0.table) }
        guard !due.isEmpty else { return }
        try connection.execute(script: "SET LOCAL maintenance_work_mem = '\(Self.buildMemory)'")
        for index in due { try connection.execute(script: index.definition) }
    }

    /// Every dropped index is back, as it was defined.
    func check(target: DatabaseLocation) throws {
        let now = try Self.secondaryIndexes(connection)
        guard now == dropped else {
            throw CopyError.indexesNotRestored(target: target.description,
                                               indexes: Set(dropped.map(\.name)).symmetricDifference(now.map(\.name)).sorted())
        }
    }

    private static func secondaryIndexes(_ connection: PostgresConnection) throws -> [Index] {
        try connection.queryAll("""
            SELECT c.relname, i.relname, pg_get_indexdef(i.oid) FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT x.indisunique AND NOT x.indisprimary
                AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
            ORDER BY c.relname, i.relname
            """) { Index(table: $0.string(0), name: $0.string(1), definition: $0.string(2)) }
    }
}
