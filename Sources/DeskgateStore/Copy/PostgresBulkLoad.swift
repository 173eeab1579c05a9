import DeskgatePostgres
import DeskgateSQL

/// The copy into PostgreSQL as a bulk load, inside the copy's one transaction: rows stream
/// through `COPY … FROM STDIN` instead of an INSERT round trip each, and the schema's row
/// triggers are off meanwhile, so nothing derived is kept row by row (the per-ticket documents
/// cost an UPDATE of a tsvector per message); what they derive is built once at the end.
///
/// Every step is transactional on PostgreSQL (COPY, ALTER TABLE … DISABLE TRIGGER, the
/// temporary table, dropping and adding indexes and foreign keys): a failure anywhere rolls the
/// target back to empty with its schema as the migrations left it. Secondary indexes and
/// foreign keys are off during the load too (`PostgresIndexPause`, `PostgresForeignKeyPause`):
/// built and validated once over the whole tables afterwards.
struct PostgresBulkLoad {
    let connection: PostgresConnection
    /// Rows per COPY statement: bounds what one statement holds (a live foreign key's checks
    /// would queue an event per row until the statement ends).
    var rowsPerStatement = 50_000
    /// Bytes gathered before they are handed to libpq.
    var sendThreshold = 256 * 1024

    /// Streams `reading`'s pages into `table` (self-references NULL: their rows may come in a
    /// later statement), calling `advance` with each page's row count.
    func load(_ reading: TableReader, into table: CopiedTable, columns: [CopiedColumn], advance: (Int) -> Void) throws {
        let deferred = Set(columns.indices.filter { table.selfReferences.contains(columns[$0].name) })
        try stream(reading, into: Identifier.quoted(table.name), table: table, columns: columns, nulled: deferred, advance: advance)
    }

    /// Sets `table.lateColumns` to the source's values: the key and late columns are copied into
    /// a temporary table and joined in one UPDATE of the rows that differ (with the triggers off,
    /// the self-references alone; the derived columns went in as the source has them).
    func setLateColumns(_ reading: TableReader, of table: CopiedTable, columns: [CopiedColumn]) throws {
        let late = table.lateColumns
        guard !late.isEmpty else { return }
        let staged = "pg_temp.deskgate_copy_late"
        let list = columns.map { Identifier.quoted($0.name) }.joined(separator: ", ")
        try connection.execute(script: """
            CREATE TEMPORARY TABLE deskgate_copy_late ON COMMIT DROP AS SELECT \(list) FROM \(Identifier.quoted(table.name)) WITH NO DATA
            """)
        try stream(reading, into: staged, table: table, columns: columns, nulled: [], advance: { _ in })
        let quotedLate = late.map(Identifier.quoted)
        let assignments = quotedLate.map { "\($0) = l.\($0)" }.joined(separator: ", ")
        let match = table.key.map(Identifier.quoted).map { "t.\($0) = l.\($0)" }.joined(separator: " AND ")
        let differs = "(" + quotedLate.map { "t.\($0) IS DISTINCT FROM l.\($0)" }.joined(separator: " OR ") + ")"
        try connection.run("""
            UPDATE \(Identifier.quoted(table.name)) t SET \(assignments) FROM \(staged) l WHERE \(match) AND \(differs)
            """, bindings: [])
        try connection.execute(script: "DROP TABLE \(staged)")
    }

    private func stream(_ reading: TableReader, into target: String, table: CopiedTable, columns: [CopiedColumn],
                        nulled: Set<Int>, advance: (Int) -> Void) throws {
        let statement = "COPY \(target) (\(columns.map { Identifier.quoted($0.name) }.joined(separator: ", "))) FROM STDIN"
        var pages = reading.pages()
        var pending = try pages.next()
        while pending != nil {
            var inStatement = 0
            let stored = try connection.copyIn(statement) { channel in
                var text = PostgresCopyText()
                while let page = pending, inStatement < rowsPerStatement {
                    for row in page {
                        for (index, value) in row.enumerated() {
                            do {
                                try text.append(nulled.contains(index) ? .null : value)
                            } catch {
                                throw CopyError.textWithNUL(table: table.name, column: columns[index].name,
                                                            key: try reading.key(of: row).map(Self.printed).joined(separator: ", "))
                            }
                        }
                        text.endRow()
                    }
                    if text.bytes.count >= sendThreshold { try channel.send(&text) }
                    inStatement += page.count
                    advance(page.count)
                    pending = try pages.next()
                }
                try channel.send(&text)
            }
            guard stored == inStatement else { throw CopyError.countsDiffer([.init(table: table.name, source: inStatement, target: stored)]) }
        }
    }

    private static func printed(_ value: SQLValue) -> String {
        switch value {
        case .null: "NULL"
        case let .integer(value): String(value)
        case let .real(value): String(value)
        case let .text(value): value
        case let .blob(value): "\(value.count) bytes"
        }
    }
}

/// The schema's own triggers on the copied tables, off while the rows go in and on again before
/// COMMIT, each in the state it had (`tgenabled`); a rollback restores them by itself.
struct PostgresTriggerPause {
    struct Trigger: Equatable {
        let table: String
        let name: String
        /// O (on), A (always), R (replica); D (off) ones are left alone.
        let state: String
    }

    let connection: PostgresConnection
    let paused: [Trigger]

    /// Refuses unless this role owns every table (only the owner may turn triggers off, or load
    /// with COPY past row-level security), then turns off every enabled user trigger.
    static func pause(_ connection: PostgresConnection, target: DatabaseLocation) throws -> PostgresTriggerPause {
        let foreign = try connection.queryAll("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT pg_has_role(c.relowner, 'USAGE')
            ORDER BY c.relname
            """) { $0.string(0) }
        guard foreign.isEmpty else { throw CopyError.notTheOwner(target: target.description, tables: foreign) }
        let triggers = try states(connection).filter { $0.state != "D" }
        for trigger in triggers {
            try connection.execute(script: "ALTER TABLE \(Identifier.quoted(trigger.table)) DISABLE TRIGGER \(Identifier.quoted(trigger.name))")
        }
        return PostgresTriggerPause(connection: connection, paused: triggers)
    }

    /// Turns the paused triggers back on as they were, and checks that they are.
    func resume(target: DatabaseLocation) throws {
        for trigger in paused {
            let mode = switch trigger.state {
            case "A": "ENABLE ALWAYS"
            case "R": "ENABLE REPLICA"
            default: "ENABLE"
            }
            try connection.execute(script: "ALTER TABLE \(Identifier.quoted(trigger.table)) \(mode) TRIGGER \(Identifier.quoted(trigger.name))")
        }
        let now = try Self.states(connection).filter { $0.state != "D" }
        guard now == paused else {
            throw CopyError.triggersNotRestored(target: target.description,
                                                triggers: Set(paused.map(\.name)).symmetricDifference(now.map(\.name)).sorted())
        }
    }

    private static func states(_ connection: PostgresConnection) throws -> [Trigger] {
        try connection.queryAll("""
            SELECT c.relname, t.tgname, t.tgenabled::text FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND n.nspname = current_schema()
            ORDER BY c.relname, t.tgname
            """) { Trigger(table: $0.string(0), name: $0.string(1), state: $0.string(2)) }
    }
}

extension CopyPlan {
    /// How each derived table is built from the copied rows on PostgreSQL, with the triggers
    /// that keep it off: migration 13's own statement, through its own function, so the
    /// documents are the ones the triggers would have made.
    static let postgresDerivedBuilds: [(table: String, build: String)] = [
        ("ticket_words", """
            INSERT INTO ticket_words (tenant_id, ticket_id, words)
            SELECT t.tenant_id, t.id, deskgate_ticket_words(t.tenant_id, t.id) FROM tickets t
            """),
    ]
}
