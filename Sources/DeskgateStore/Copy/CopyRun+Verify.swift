import DeskgateSQL

extension CopyRun {
    /// The checks before COMMIT: every table as many rows as the source's; the data triggers
    /// keep (late columns, replaced tables) equal to the source's, row for row; SQLite's search
    /// indexes consistent with their content tables. Returns the counts, in copy order.
    func verify(searchIndexes: [String]) throws -> [CopyReport.Table] {
        var counts: [CopyReport.Table] = []
        var mismatches: [CopyError.CountMismatch] = []
        for table in plan.tables {
            let rows = try count(table.plan.name, on: writer)
            counts.append(CopyReport.Table(name: table.plan.name, sourceRows: table.rows, targetRows: rows))
            if rows != table.rows { mismatches.append(CopyError.CountMismatch(table: table.plan.name, source: table.rows, target: rows)) }
        }
        guard mismatches.isEmpty else { throw CopyError.countsDiffer(mismatches) }

        for table in plan.tables where table.plan.isReplaced {
            try compare(table.plan.name, columns: table.columns, key: table.plan.key)
        }
        for table in plan.tables where !table.plan.lateColumns.isEmpty {
            try compare(table.plan.name, columns: lateColumns(table), key: table.plan.key)
        }
        // PostgreSQL's per-ticket documents, built once: one per ticket.
        if writer.dialect == .postgres, searchIndexes.contains("ticket_words"),
           try count("ticket_words", on: writer) != count("tickets", on: writer) {
            throw CopyError.derivedDataDiffers(table: "ticket_words")
        }
        // (SQLite's contentless per-ticket documents have no content to check against.)
        for index in searchIndexes where !CopyPlan.derivedTables.contains(index) {
            // With rank 1, FTS5 also checks the index against its external content table.
            let name = Identifier.quoted(index)
            do {
                try writer.run("INSERT INTO \(name) (\(name), rank) VALUES ('integrity-check', 1)", bindings: [])
            } catch {
                throw CopyError.derivedDataDiffers(table: index)
            }
        }
        return counts
    }

    /// Reads `columns` of `table` page by page on both sides (integer keys: the same order on
    /// both engines) and refuses the first difference.
    private func compare(_ table: String, columns: [CopiedColumn], key: [String]) throws {
        let source = TableReader(connection: reader, table: table, columns: columns, key: key)
        let copy = TableReader(connection: writer, table: table, columns: columns, key: key)
        var last: [SQLValue]?
        repeat {
            let page = try source.page(after: last)
            guard try copy.page(after: last) == page else { throw CopyError.derivedDataDiffers(table: table) }
            last = page.count < source.pageSize ? nil : try source.key(of: page[page.count - 1])
        } while last != nil
    }
}
