import DeskgateSQL

/// Reads a table's rows in primary-key order, a page at a time: `WHERE (key) > (last key)`
/// continues where the previous page ended. PostgreSQL hands a statement's whole result over
/// at once, so reading a large table in one statement would hold all of it in memory.
///
/// Row-value comparison (`(a, b) > (?1, ?2)`) is spelled the same on both engines, and each
/// page is read inside the caller's snapshot, so the pages add up to one consistent table.
struct TableReader {
    let connection: any SQLConnection
    let table: String
    let columns: [CopiedColumn]
    let key: [String]
    var pageSize = 1_000

    /// Calls `body` with each page of rows, each row one value per column in `columns`' order.
    func forEachPage(_ body: ([[SQLValue]]) throws -> Void) throws {
        var last: [SQLValue]?
        repeat {
            let page = try self.page(after: last)
            if page.isEmpty { return }
            try body(page)
            last = page.count < pageSize ? nil : try key(of: page[page.count - 1])
        } while last != nil
    }

    /// The same pages, pulled one at a time (for a COPY that asks for them as it sends).
    func pages() -> Pages { Pages(reader: self) }

    struct Pages {
        let reader: TableReader
        private var last: [SQLValue]?
        private var done = false

        init(reader: TableReader) { self.reader = reader }

        /// The next page, nil once the table is read.
        mutating func next() throws -> [[SQLValue]]? {
            guard !done else { return nil }
            let page = try reader.page(after: last)
            if page.count < reader.pageSize { done = true } else { last = try reader.key(of: page[page.count - 1]) }
            return page.isEmpty ? nil : page
        }
    }

    /// The rows after the one whose key is `last` (from the first when nil), at most `pageSize`.
    func page(after last: [SQLValue]?) throws -> [[SQLValue]] {
        let list = columns.map { Identifier.quoted($0.name) }.joined(separator: ", ")
        let order = key.map(Identifier.quoted).joined(separator: ", ")
        let sql: String
        if last == nil {
            sql = "SELECT \(list) FROM \(Identifier.quoted(table)) ORDER BY \(order) LIMIT ?1"
        } else {
            let placeholders = (1...key.count).map { "?\($0)" }.joined(separator: ", ")
            sql = "SELECT \(list) FROM \(Identifier.quoted(table)) WHERE (\(order)) > (\(placeholders)) "
                + "ORDER BY \(order) LIMIT ?\(key.count + 1)"
        }
        var page: [[SQLValue]] = []
        page.reserveCapacity(pageSize)
        try connection.readRows(sql, bindings: (last ?? []) + [SQLValue.integer(Int64(pageSize))]) { row in
            page.append(columns.indices.map { columns[$0].value(in: row, at: Int32($0)) })
        }
        return page
    }

    /// The key values of `row` (one of this reader's rows).
    func key(of row: [SQLValue]) throws -> [SQLValue] {
        try key.map { name in
            guard let index = columns.firstIndex(where: { $0.name == name }) else { throw CopyError.columnsDiffer(table: table) }
            return row[index]
        }
    }
}

/// Table and column names in statements the copy builds. They come from the catalog and are
/// checked against `CopyPlan`, so quoting is a precaution, not the defence.
enum Identifier {
    static func quoted(_ name: String) -> String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }
}
