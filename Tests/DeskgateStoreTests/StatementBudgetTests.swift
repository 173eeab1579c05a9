import DeskgateSQL
import DeskgateSystem
import Dispatch
import Foundation
import Testing
@testable import DeskgateStore

/// A read statement that would never end (a recursive CTE without a bound) is stopped at the
/// read budget with `StoreError.overBudget`, on both engines, and the same connection keeps
/// serving: alone, and inside a read transaction (`snapshot`). No upper time bound is asserted
/// (timing belongs in bench/); the runaway returning at all is the proof, and it cannot stop
/// before its deadline.
@Suite struct StatementBudgetTests {
    static let runaway = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
    static let budget = 200

    static func configure(_ configuration: inout DatabaseConfiguration) {
        configuration.readBudgetMilliseconds = budget
        // One pooled reader: every checkout below gets the connection the runaway ran on.
        configuration.readerPoolSize = 1
    }

    @Test func sqliteStopsARunawayAndTheConnectionServesOn() throws {
        try withDatabase(configure: Self.configure) { db in
            try Self.stopsARunaway(db)
        }
    }

    @Test func budgetIsPerStatementNotPerConnection() throws {
        try withDatabase(configure: Self.configure) { db in
            // Many short statements in one transaction, together far past the budget: none stops.
            let started = DispatchTime.now()
            var statements = 0
            try db.withReader { reader in
                try reader.snapshot {
                    while DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds < UInt64(Self.budget * 2) * 1_000_000 {
                        _ = try reader.queryOne("SELECT count(*) FROM schema_migrations") { $0.int(0) }
                        statements += 1
                    }
                }
            }
            #expect(statements > 1)
        }
    }

    @Test func withoutABudgetNothingIsStopped() throws {
        try withDatabase { db in
            // A bounded recursion long enough to cross many progress checks.
            let count = try db.withReader {
                try $0.queryOne("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 300000) SELECT count(*) FROM r") { $0.int(0) }
            }
            #expect(count == 300_000)
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] != nil))
    func postgresStopsARunawayAndTheConnectionServesOn() throws {
        var configuration = DatabaseConfiguration()
        Self.configure(&configuration)
        let db = try Database.open(path: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"]!,
                                   configuration: configuration)
        defer { db.close() }
        try Self.stopsARunaway(db)
    }

    @Test func overBudgetIsNeitherTransientNorAnEngineFault() {
        let error = StoreError.overBudget(milliseconds: 2_000)
        #expect(!error.isTransient)
        #expect(error.exceededBudgetMilliseconds == 2_000)
        #expect(error.overBudgetReason == "the query took longer than its 2000 ms budget; narrow the filters")
        #expect(StoreError.busy(code: 5, message: "locked").exceededBudgetMilliseconds == nil)
    }

    private static func stopsARunaway(_ db: Database) throws {
        // Autocommit: the statement alone.
        let started = DispatchTime.now()
        #expect(throws: StoreError.overBudget(milliseconds: budget)) {
            try db.withReader { try $0.queryOne(runaway) { $0.int64(0) } }
        }
        let elapsed = (DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
        #expect(elapsed >= UInt64(budget))
        #expect(try db.withReader { try $0.queryOne("SELECT count(*) FROM schema_migrations") { $0.int(0) } } == Migration.all.count)

        // Inside a read transaction, as a tool's read runs: the tool answers the error, the
        // transaction ends cleanly (PostgreSQL: rolled back), and the next read works.
        let answered: String = try db.withReader { reader in
            try reader.snapshot {
                do {
                    _ = try reader.queryOne(runaway) { $0.int64(0) }
                    return "finished"
                } catch let error as StoreError {
                    return error.overBudgetReason ?? "other: \(error)"
                }
            }
        }
        #expect(answered == "the query took longer than its \(budget) ms budget; narrow the filters")
        let after = try db.withReader { reader in
            (reader.isInTransaction, try reader.snapshot { try reader.queryOne("SELECT count(*) FROM schema_migrations") { $0.int(0) } })
        }
        #expect(after.0 == false)
        #expect(after.1 == Migration.all.count)
        // Writes have no budget and are unaffected.
        let written = try db.write { tx in try tx.connection.queryOne("SELECT count(*) FROM schema_migrations") { $0.int(0) } }
        #expect(written == Migration.all.count)
    }
}
