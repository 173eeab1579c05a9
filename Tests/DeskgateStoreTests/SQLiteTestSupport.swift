import DeskgateSQL
@testable import DeskgateSQLite

/// What tests of the SQLite engine read off a connection that the store only knows as
/// `any SQLConnection`.
extension SQLConnection {
    var sqlite: SQLiteConnection { self as! SQLiteConnection }

    func pragma(_ name: String) throws -> String? { try sqlite.pragma(name) }

    var preparedStatementCount: Int { sqlite.preparedStatementCount }

    var lastInsertRowID: Int64 {
        get throws { try queryOne("SELECT last_insert_rowid()") { $0.int64(0) } ?? 0 }
    }
}
