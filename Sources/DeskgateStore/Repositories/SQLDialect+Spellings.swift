import DeskgateSQL

/// The few expressions the store's SQL needs that SQLite and PostgreSQL spell differently.
/// Everything else in the repositories is written once for both.
extension SQLDialect {
    /// The integers of a JSON array bound at `parameter` (`"[1,2,3]"`), as the rows of a
    /// subquery: `x IN (\(dialect.integers(inJSONArray: "?3")))`. One bound text instead of a
    /// placeholder per member keeps the statement's text (and its cached plan) the same for
    /// every list length.
    func integers(inJSONArray parameter: String) -> String {
        switch self {
        case .sqlite: "SELECT value FROM json_each(\(parameter))"
        case .postgres: "SELECT value::bigint FROM json_array_elements_text(CAST(\(parameter) AS json))"
        }
    }

    /// The strings of a JSON array bound at `parameter` (`"[\"a\",\"b\"]"`), as a subquery's rows.
    func texts(inJSONArray parameter: String) -> String {
        switch self {
        case .sqlite: "SELECT value FROM json_each(\(parameter))"
        case .postgres: "SELECT value FROM json_array_elements_text(CAST(\(parameter) AS json))"
        }
    }

    /// Where `needle` first occurs in `haystack`, from 1; 0 when it does not.
    func position(of needle: String, in haystack: String) -> String {
        switch self {
        case .sqlite: "instr(\(haystack), \(needle))"
        case .postgres: "strpos(\(haystack), \(needle))"
        }
    }
}

extension SQLDialect {
    /// The larger of two values (SQLite's two-argument `max` is PostgreSQL's `GREATEST`).
    func greatest(_ a: String, _ b: String) -> String {
        switch self {
        case .sqlite: "max(\(a), \(b))"
        case .postgres: "GREATEST(\(a), \(b))"
        }
    }

    /// SQLite's `INDEXED BY` pins the index a scan walks where its planner would pick a worse
    /// one; PostgreSQL has no such clause (its planner is left to choose).
    func indexedBy(_ index: String) -> String {
        switch self {
        case .sqlite: " INDEXED BY \(index)"
        case .postgres: ""
        }
    }

    /// SQLite's `NOT INDEXED`: the table is read by its rowid only (a lookup by key) whatever the
    /// statistics say. A WITHOUT ROWID table ignores it: name its primary key with `indexedBy`.
    var notIndexed: String {
        switch self {
        case .sqlite: " NOT INDEXED"
        case .postgres: ""
        }
    }

    /// A join whose order is fixed as written (SQLite: `CROSS JOIN … ON` keeps the left table
    /// the outer loop). PostgreSQL has no `CROSS JOIN … ON`; its planner orders the join.
    var orderedJoin: String {
        switch self {
        case .sqlite: "CROSS JOIN"
        case .postgres: "JOIN"
        }
    }
}

extension Collection<Int64> {
    /// The ids as a JSON array, the one value bound for `SQLDialect.integers(inJSONArray:)`.
    var jsonArray: String { "[" + map(String.init).joined(separator: ",") + "]" }
}
