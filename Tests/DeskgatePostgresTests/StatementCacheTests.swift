import DeskgateSQL
import Testing
@testable import DeskgatePostgres

/// Statements are prepared once per connection and text; DDL that changes their results makes
/// them prepare again instead of failing.
@Suite(.enabled(if: LiveDatabase.isConfigured, LiveDatabase.skipped))
struct StatementCacheTests {
    @Test func preparesEachTextAndTypesOnce() throws {
        let db = try LiveDatabase.connect()
        let sql = "SELECT ?1::text"
        _ = try db.queryOne(sql, "a") { $0.string(0) }
        let prepared = db.preparedStatementCount
        for i in 0..<50 { #expect(try db.queryOne(sql, "\(i)") { $0.string(0) } == "\(i)") }
        #expect(db.preparedStatementCount == prepared)
        // The types are fixed when preparing: an integer (or NULL) for ?1 is another statement.
        #expect(try db.queryOne(sql, 5) { $0.string(0) } == "5")
        #expect(try db.queryOne(sql, SQLNull()) { $0.optionalString(0) } == .some(nil))
        #expect(db.preparedStatementCount == prepared + 2)
        #expect(try db.queryOne(sql, 6) { $0.string(0) } == "6")
        #expect(db.preparedStatementCount == prepared + 2)
    }

    @Test func preparesAgainAfterAnotherConnectionAltersTheTable() throws {
        try LiveDatabase.withSchema { db, schema throws in
            try db.execute(script: "CREATE TABLE t (a int8); INSERT INTO t VALUES (1)")
            let sql = "SELECT * FROM t WHERE a = ?1"
            #expect(try db.queryOne(sql, 1) { $0.columnName(0) } == "a")
            let prepared = db.preparedStatementCount
            // The cache here does not know: the server answers "cached plan must not change
            // result type" (0A000), and outside a transaction the statement is prepared again.
            let other = try LiveDatabase.connect(into: schema)
            try other.execute(script: "ALTER TABLE t ADD COLUMN b text DEFAULT 'new'")
            #expect(try db.queryOne(sql, 1) { "\($0.int64(0))|\($0.string(1))" } == "1|new")
            #expect(db.preparedStatementCount > prepared)
            let reprepared = db.preparedStatementCount
            #expect(try db.queryOne(sql, 1) { $0.string(1) } == "new")
            #expect(db.preparedStatementCount == reprepared)

            // Inside a transaction the failure ends it; after ROLLBACK the statement prepares afresh.
            try other.execute(script: "ALTER TABLE t ADD COLUMN c int8 DEFAULT 3")
            try db.execute(script: "BEGIN")
            #expect(throws: StoreError.self) { try db.queryOne(sql, 1) { $0.int(0) } }
            try db.execute(script: "ROLLBACK")
            #expect(try db.queryOne(sql, 1) { $0.int64(2) } == 3)
        }
    }

    @Test func ownDDLDropsTheCache() throws {
        try LiveDatabase.withSchema { db, _ throws in
            try db.execute(script: "CREATE TABLE t (a int8); INSERT INTO t VALUES (1)")
            let sql = "SELECT * FROM t"
            _ = try db.queryAll(sql) { $0.int(0) }
            #expect(db.cachedStatementCount == 1)
            // Transaction control keeps the cache.
            try db.execute(script: "BEGIN; COMMIT")
            #expect(db.cachedStatementCount == 1)
            // DDL, even inside a transaction, drops it (and the server's statements with it).
            try db.execute(script: "BEGIN")
            try db.execute(script: "ALTER TABLE t ADD COLUMN b int8 DEFAULT 2")
            #expect(db.cachedStatementCount == 0)
            #expect(try db.queryOne(sql) { $0.int64(1) } == 2)
            try db.execute(script: "COMMIT")
            #expect(try db.queryOne("SELECT count(*) FROM pg_prepared_statements") { $0.int(0) } == db.cachedStatementCount)
        }
    }
}
