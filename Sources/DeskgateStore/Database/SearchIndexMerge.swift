import DeskgateSQL

/// SQLite: merges each FTS5 index into one segment after bulk work (`deskgate demo`, imports).
/// A bulk load leaves each index in tens of segments (automerge keeps up with single inserts,
/// not with millions), and every lookup then reads each segment: at a million tickets a freshly
/// generated database answered `search_tickets` 'thanks' in 17.6 ms p50 and a phrase in 66 ms,
/// the same database merged in 7.0 and 19.3 ms. Merging all four indexes took 5.5 s there.
/// PostgreSQL's GIN indexes have no segments: nothing to do.
enum SearchIndexMerge {
    /// The FTS5 tables of the schema by name (not `fts5vocab` views of them); without the contentless ones (no text to rebuild
    /// from) for `deskgate store copy`'s rebuild (`CopyCatalog.searchIndexes`).
    static func indexes(on connection: any SQLConnection, includingContentless: Bool = true) throws -> [String] {
        guard connection.dialect == .sqlite else { return [] }
        let contentless = includingContentless ? "" : "AND sql NOT LIKE '%content=''''%'"
        return try connection.queryAll("""
            SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5(%' \(contentless)
            ORDER BY name
            """) { $0.string(0) }
    }

    /// Merges one index (FTS5's 'optimize' command).
    static func merge(_ index: String, on connection: any SQLConnection) throws {
        let name = "\"" + index.replacing("\"", with: "\"\"") + "\""
        try connection.run("INSERT INTO \(name) (\(name)) VALUES ('optimize')")
    }
}
