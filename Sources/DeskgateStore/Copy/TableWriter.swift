import DeskgateSQL

/// Writes one table's rows into the target, inside the copy's transaction. Into PostgreSQL the
/// rows go by COPY instead (`PostgresBulkLoad`); `clear` serves both.
///
/// One row per INSERT: a local call on SQLite, which caches the one statement. (On PostgreSQL a
/// many-row INSERT would be a new prepared statement for nearly every batch, a NULL having no
/// parameter type; that is why it loads by COPY.)
struct TableWriter {
    let connection: any SQLConnection
    let table: CopiedTable
    let columns: [CopiedColumn]

    private var quotedTable: String { Identifier.quoted(table.name) }

    /// Inserts `rows` (values in `columns`' order), with `table.selfReferences` left NULL.
    func insert(_ rows: [[SQLValue]]) throws {
        let names = columns.map { Identifier.quoted($0.name) }.joined(separator: ", ")
        let placeholders = columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
        let sql = "INSERT INTO \(quotedTable) (\(names)) VALUES (\(placeholders))"
        let deferred = Set(columns.indices.filter { table.selfReferences.contains(columns[$0].name) })
        for row in rows {
            var values = row
            for index in deferred { values[index] = .null }
            try connection.run(sql, bindings: values)
        }
    }

    /// Sets `table.lateColumns` of `rows` to the source's values (the rows are already in).
    func setLateColumns(_ rows: [[SQLValue]]) throws {
        let late = table.lateColumns
        guard !late.isEmpty else { return }
        let lateIndexes = try late.map(index)
        let keyIndexes = try table.key.map(index)
        let assignments = late.enumerated().map { "\(Identifier.quoted($1)) = ?\($0 + 1)" }.joined(separator: ", ")
        let match = table.key.enumerated().map { "\(Identifier.quoted($1)) = ?\(late.count + $0 + 1)" }.joined(separator: " AND ")
        let sql = "UPDATE \(quotedTable) SET \(assignments) WHERE \(match)"
        for row in rows {
            try connection.run(sql, bindings: lateIndexes.map { row[$0] } + keyIndexes.map { row[$0] })
        }
    }

    /// Removes what the migrations or the triggers put there before the source's rows go in.
    func clear() throws {
        try connection.run("DELETE FROM \(quotedTable)", bindings: [])
    }

    private func index(_ column: String) throws -> Int {
        guard let index = columns.firstIndex(where: { $0.name == column }) else { throw CopyError.columnsDiffer(table: table.name) }
        return index
    }
}
