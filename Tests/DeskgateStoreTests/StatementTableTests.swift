@testable import DeskgateSQLite
import DeskgateSQL
import Testing
@testable import DeskgateStore
import DeskgateModel

/// The statement cache finds each SQL text's own statement, also when many texts share their
/// length and last 16 bytes (one hash) and the table has to grow.
@Suite struct StatementTableTests {
    @Test func eachTextKeepsItsOwnStatement() throws {
        try withTemporaryDirectory { dir in
            let conn = try SQLiteConnection(path: dir + "/t.sqlite", readOnly: false, busyTimeoutMilliseconds: 100)
            // 1000...1299: same length, same tail, so the same hash for all of them.
            let texts = (1000..<1300).map { "SELECT \($0) AS n WHERE 1 = 1 AND 2 = 2" } + ["SELECT 1", "SELECT 2"]
            let compiled = conn.preparedStatementCount
            var first: [Statement] = []
            for sql in texts { first.append(try conn.statement(sql)) }
            #expect(conn.preparedStatementCount == compiled + texts.count)
            for (sql, statement) in zip(texts, first) {
                #expect(try conn.statement(sql) === statement)
                // A copy of the text built at run time (not the same String object) finds it too.
                #expect(try conn.statement(String(decoding: Array(sql.utf8), as: UTF8.self)) === statement)
            }
            #expect(conn.preparedStatementCount == compiled + texts.count)
            #expect(try conn.queryOne(texts[123]) { $0.int64(0) } == 1123)
            #expect(try conn.queryOne("SELECT 2") { $0.int64(0) } == 2)
        }
    }

    @Test func hashTellsApartTextsThatDifferInTheirTail() {
        #expect(StatementTable.hash("SELECT a FROM t WHERE id = ?1") != StatementTable.hash("SELECT a FROM t WHERE id = ?2"))
        #expect(StatementTable.hash("SELECT 1") != StatementTable.hash("SELECT 2"))
        #expect(StatementTable.hash("") == StatementTable.hash(""))
    }
}
