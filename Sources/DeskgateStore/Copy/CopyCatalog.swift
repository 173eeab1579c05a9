import DeskgateSQL

/// What a database says about its own schema, read from its catalog (SQLite's pragmas and
/// `sqlite_master`, PostgreSQL's `information_schema` and `pg_trigger`). The copy trusts the
/// catalog, not `CopyPlan`, for the columns, and refuses when the two disagree on the tables.
struct CopyCatalog {
    let connection: any SQLConnection

    /// The data tables: base tables without the ledger, FTS5 tables and their shadow tables.
    func tables() throws -> Set<String> {
        let names: [String] = switch connection.dialect {
        case .sqlite:
            try connection.queryAll("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'") { $0.string(0) }
        case .postgres:
            try connection.queryAll("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                """) { $0.string(0) }
        }
        return Set(names.filter { !CopyPlan.isBookkeeping($0) })
    }

    /// `table`'s columns in their declared order, with the kind of value each holds.
    func columns(of table: String) throws -> [CopiedColumn] {
        switch connection.dialect {
        case .sqlite:
            try connection.queryAll("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid", table) {
                try CopiedColumn(table: table, name: $0.string(0), declaredType: $0.string(1), isIdentity: false)
            }
        case .postgres:
            try connection.queryAll("""
                SELECT column_name, data_type, is_identity FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position
                """, table) {
                try CopiedColumn(table: table, name: $0.string(0), declaredType: $0.string(1), isIdentity: $0.string(2) == "YES")
            }
        }
    }

    /// The names of the triggers on the database's tables (PostgreSQL's internal ones, which
    /// enforce foreign keys, left out).
    func triggers() throws -> Set<String> {
        let names: [String] = switch connection.dialect {
        case .sqlite:
            try connection.queryAll("SELECT name FROM sqlite_master WHERE type = 'trigger'") { $0.string(0) }
        case .postgres:
            try connection.queryAll("""
                SELECT t.tgname FROM pg_trigger t
                JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE NOT t.tgisinternal AND n.nspname = current_schema()
                """) { $0.string(0) }
        }
        return Set(names)
    }

    /// SQLite's FTS5 tables over external content, fed by triggers (the contentless
    /// `ticket_words` is not one: `CopyRun` rebuilds it from its own query). PostgreSQL has
    /// none: its search indexes are GIN indexes, which it maintains itself.
    func searchIndexes() throws -> [String] {
        try SearchIndexMerge.indexes(on: connection, includingContentless: false)
    }

    /// The highest migration applied; nil when there is no ledger (not a deskgate database).
    func schemaVersion() throws -> Int? {
        let hasLedger: Bool = switch connection.dialect {
        case .sqlite:
            try connection.queryOne("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") { _ in true } ?? false
        case .postgres:
            try connection.queryOne("""
                SELECT 1 FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_name = 'schema_migrations'
                """) { _ in true } ?? false
        }
        guard hasLedger else { return nil }
        return try connection.queryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") { $0.int(0) } ?? 0
    }
}

/// One column and the kind of `SQLValue` it holds. SQLite's tables are STRICT, so a column
/// declared INTEGER holds only integers (or NULL); PostgreSQL's types are what `PostgresDDL`
/// made of the same declarations.
struct CopiedColumn: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case integer, real, text, blob
    }

    let name: String
    let kind: Kind
    /// A PostgreSQL identity column, whose sequence must be moved past the copied values.
    let isIdentity: Bool

    init(name: String, kind: Kind, isIdentity: Bool = false) {
        self.name = name
        self.kind = kind
        self.isIdentity = isIdentity
    }

    init(table: String, name: String, declaredType: String, isIdentity: Bool) throws {
        let kind: Kind? = switch declaredType.lowercased() {
        case "integer", "bigint", "smallint": .integer
        case "real", "double precision": .real
        case "text", "character varying": .text
        case "blob", "bytea": .blob
        default: nil
        }
        guard let kind else { throw CopyError.unsupportedColumn(table: table, column: name, type: declaredType) }
        self.init(name: name, kind: kind, isIdentity: isIdentity)
    }

    /// The column of `row` at `index` as a value to bind.
    func value(in row: any SQLRow, at index: Int32) -> SQLValue {
        if row.isNull(index) { return .null }
        return switch kind {
        case .integer: .integer(row.int64(index))
        case .real: .real(row.double(index))
        case .text: .text(row.string(index))
        case .blob: .blob(row.blob(index))
        }
    }

    /// The same column on both sides: the identity flag is PostgreSQL's alone.
    func matches(_ other: CopiedColumn) -> Bool { name == other.name && kind == other.kind }
}
