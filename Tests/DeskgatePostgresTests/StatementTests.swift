import DeskgateSQL
import Testing
@testable import DeskgatePostgres

/// Statements as the store runs them: RETURNING, change counts, transactions, and the errors
/// it tells apart.
@Suite(.enabled(if: LiveDatabase.isConfigured, LiveDatabase.skipped))
struct StatementTests {
    @Test func insertReturnsItsID() throws {
        try LiveDatabase.withSchema { db, _ throws in
            try db.execute(script: "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)")
            let first = try db.queryOne("INSERT INTO t (name) VALUES (?1) RETURNING id", "a") { $0.int64(0) }
            let second = try db.queryOne("INSERT INTO t (name) VALUES (?1) RETURNING id", "b") { $0.int64(0) }
            #expect(first == 1 && second == 2)
            #expect(try db.queryAll("SELECT name FROM t ORDER BY id") { $0.string(0) } == ["a", "b"])
            #expect(try db.queryOne("SELECT name FROM t WHERE id = ?1", 99) { $0.string(0) } == nil)
        }
    }

    @Test func runCountsChangedRows() throws {
        try LiveDatabase.withSchema { db, _ throws in
            #expect(try db.run("CREATE TABLE t (k int8, v text)") == 0)
            #expect(try db.run("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')") == 3)
            #expect(try db.run("UPDATE t SET v = ?1 WHERE k >= ?2", "z", 2) == 2)
            #expect(try db.run("UPDATE t SET v = ?1 WHERE k > ?2", "z", 100) == 0)
            #expect(try db.run("DELETE FROM t WHERE v = ?1", "z") == 2)
            #expect(try db.run("BEGIN") == 0)
            #expect(try db.run("COMMIT") == 0)
        }
    }

    @Test func rowsComeInOrderAndNestedQueriesMayReuseTheStatement() throws {
        try LiveDatabase.withSchema { db, _ throws in
            try db.execute(script: "CREATE TABLE t (k int8); INSERT INTO t SELECT generate_series(1, 50)")
            let sql = "SELECT k FROM t WHERE k <= ?1 ORDER BY k"
            var seen: [Int64] = []
            try db.readRows(sql, bindings: [3]) { row in
                seen.append(row.int64(0))
                // The outer result is already here, so the same statement can run again inside.
                seen.append(contentsOf: try db.queryAll(sql, 2) { $0.int64(0) })
            }
            #expect(seen == [1, 1, 2, 2, 1, 2, 3, 1, 2])
            #expect(try db.readFirstRow(sql, bindings: [0]) { _ in } == false)
            #expect(try db.queryAll(sql, 50) { $0.int(0) } == Array(1...50))
        }
    }

    @Test func transactionsCommitRollBackAndReportTheirState() throws {
        try LiveDatabase.withSchema { db, _ throws in
            try db.execute(script: "CREATE TABLE t (k int8 PRIMARY KEY)")
            #expect(!db.isInTransaction && db.isAutocommit)
            try db.execute(script: db.dialect.beginWrite)
            #expect(db.isInTransaction)
            try db.run("INSERT INTO t VALUES (?1)", 1)
            try db.execute(script: "ROLLBACK")
            #expect(!db.isInTransaction)
            #expect(try db.queryOne("SELECT count(*) FROM t") { $0.int(0) } == 0)

            try db.run("BEGIN")
            try db.run("INSERT INTO t VALUES (?1)", 2)
            try db.execute(script: "SAVEPOINT job")
            #expect(throws: StoreError.self) { try db.run("INSERT INTO t VALUES (?1)", 2) }
            // A failed statement fails the transaction until rolled back to the savepoint.
            #expect(db.isInTransaction)
            try db.execute(script: "ROLLBACK TO job")
            try db.execute(script: "RELEASE job")
            try db.run("COMMIT")
            #expect(!db.isInTransaction)
            #expect(try db.queryAll("SELECT k FROM t") { $0.int64(0) } == [2])

            // snapshot (BEGIN … COMMIT through run) sees one consistent view.
            #expect(try db.snapshot { try db.queryOne("SELECT count(*) FROM t") { $0.int(0) } } == 1)
            #expect(!db.isInTransaction)
        }
    }

    @Test func commitOfAFailedTransactionThrowsInsteadOfRollingBackSilently() throws {
        try LiveDatabase.withSchema { db, _ throws in
            try db.execute(script: "CREATE TABLE t (k int8 PRIMARY KEY)")
            for commit in [{ try db.execute(script: "COMMIT") }, { try db.run("COMMIT") }] {
                try db.execute(script: "BEGIN")
                try db.run("INSERT INTO t VALUES (?1)", 1)
                #expect(throws: StoreError.self) { try db.run("INSERT INTO t VALUES (?1)", 1) }
                // Later statements fail too (25P02) until the transaction ends.
                #expect {
                    try db.queryOne("SELECT 1") { $0.int(0) }
                } throws: { error in
                    guard case let StoreError.engine(code, _) = error else { return false }
                    return SQLState(code: code)?.text == "25P02"
                }
                #expect {
                    try commit()
                } throws: { error in
                    guard case let StoreError.engine(code, message) = error else { return false }
                    return SQLState(code: code)?.text == "25P02" && message.contains("rolled back")
                }
                #expect(!db.isInTransaction)
                #expect(try db.queryOne("SELECT count(*) FROM t") { $0.int(0) } == 0)
            }
        }
    }

    @Test func constraintViolationsAreTypedAndNeverCarryBoundValues() throws {
        try LiveDatabase.withSchema { db, _ throws in
            try db.execute(script: """
                CREATE TABLE parent (id int8 PRIMARY KEY);
                CREATE TABLE token (token_hash text NOT NULL CONSTRAINT token_hash_unique UNIQUE,
                                    parent int8 REFERENCES parent (id), uses int8 CHECK (uses >= 0));
                """)
            let secret = "s3cret-token-hash"
            try db.run("INSERT INTO token (token_hash) VALUES (?1)", secret)
            let attempts: [(String, [any SQLBindable])] = [
                ("INSERT INTO token (token_hash) VALUES (?1)", [secret]),
                ("INSERT INTO token (token_hash, parent) VALUES (?1, ?2)", ["other-\(secret)", 424_242]),
                ("INSERT INTO token (token_hash, uses) VALUES (?1, ?2)", ["third-\(secret)", -31_337]),
                ("INSERT INTO token (token_hash) VALUES (?1)", [SQLNull()]),
            ]
            for (sql, values) in attempts {
                #expect {
                    try db.run(sql, bindings: values)
                } throws: { error in
                    guard let error = error as? StoreError, error.isConstraintViolation else { return false }
                    let text = error.description
                    return !text.contains(secret) && !text.contains("424242") && !text.contains("31337")
                }
            }
            #expect {
                try db.run("INSERT INTO token (token_hash) VALUES (?1)", secret)
            } throws: { error in
                guard case let StoreError.constraintViolation(code, message) = error else { return false }
                return SQLState(code: code)?.text == "23505" && message.contains("token_hash_unique")
            }
        }
    }

    @Test func syntaxAndDataErrorsAreTold() throws {
        let db = try LiveDatabase.connect()
        #expect {
            try db.run("SELEC 1")
        } throws: { error in
            guard case let StoreError.engine(code, message) = error else { return false }
            // Preparing failed, so the (bound-value-free) SQL is quoted.
            return SQLState(code: code)?.text == "42601" && message.contains("syntax error") && message.contains("SELEC 1")
        }
        #expect {
            try db.queryOne("SELECT * FROM no_such_table") { $0.int(0) }
        } throws: { error in
            guard case let StoreError.engine(code, _) = error else { return false }
            return SQLState(code: code)?.text == "42P01"
        }
        // A data exception quotes the value in its primary message: it must not get through.
        #expect {
            try db.queryOne("SELECT CAST(?1 AS integer)", "s3cret-value") { $0.int(0) }
        } throws: { error in
            guard case let StoreError.invalidInput(message) = error else { return false }
            return !message.contains("s3cret") && message.contains("22P02")
        }
        #expect(throws: StoreError.self) { try db.queryOne("SELECT 1 / ?1", 0) { $0.int(0) } }
        // Still usable afterwards.
        #expect(try db.queryOne("SELECT ?1", 7) { $0.int(0) } == 7)
        #expect(!db.isBroken)
    }

    @Test func aWrongParameterCountIsRefusedBeforeSending() throws {
        let db = try LiveDatabase.connect()
        let prepared = db.preparedStatementCount
        for (sql, values) in [("SELECT ?1, ?2", [1] as [any SQLBindable]), ("SELECT ?1", [1, 2]), ("SELECT 1", [1]), ("SELECT ?0", [])] {
            #expect(throws: StoreError.self) { try db.run(sql, bindings: values) }
            do {
                try db.run(sql, bindings: values)
            } catch let error as StoreError {
                guard case .invalidInput = error else { Issue.record("\(sql): \(error)"); continue }
            }
        }
        #expect(db.preparedStatementCount == prepared)
    }
}
