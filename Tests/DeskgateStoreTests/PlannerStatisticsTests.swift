import DeskgateSQL
import Dispatch
import Testing
@testable import DeskgateStore

/// Planner statistics follow the data: a table whose row count moved by a tenth since its
/// statistics were taken is stale, ANALYZE makes it current, a writer that starts with
/// `refreshStatisticsAtStart` analyzes what is stale before it serves, and bulk work refreshes all.
@Suite struct PlannerStatisticsTests {
    private static func addRows(_ count: Int, to db: Database) throws {
        try db.write { tx in
            try tx.connection.execute(script: "CREATE TABLE IF NOT EXISTS bulk_rows(id INTEGER PRIMARY KEY, tenant INTEGER) STRICT; "
                                      + "CREATE INDEX IF NOT EXISTS bulk_rows_by_tenant ON bulk_rows(tenant)")
            try tx.connection.run("""
                INSERT INTO bulk_rows(tenant)
                WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < ?1) SELECT 7 FROM r
                """, count)
        }
    }

    private static func stale(_ db: Database) throws -> [String] {
        try db.write { tx in try PlannerStatistics.staleTables(on: tx.connection) }
    }

    private static func recordedRows(_ db: Database) throws -> String? {
        try db.withReader { reader in
            guard try reader.queryOne("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'", map: { $0.int(0) }) == 1 else { return nil }
            return try reader.queryOne("SELECT stat FROM sqlite_stat1 WHERE idx = 'bulk_rows_by_tenant'") { $0.string(0) }
        }
    }

    @Test func aTableThatGrewByATenthIsStaleUntilAnalyzed() throws {
        try withDatabase { db in
            try Self.addRows(2_000, to: db)
            #expect(try Self.stale(db) == ["bulk_rows"])
            try db.write { tx in try PlannerStatistics.refresh(table: "bulk_rows", on: tx.connection) }
            #expect(try Self.stale(db) == [])
            #expect(try Self.recordedRows(db) == "2000 2000")
            try Self.addRows(150, to: db)   // 7.5 %: still current
            #expect(try Self.stale(db) == [])
            try Self.addRows(100, to: db)   // 12.5 %
            #expect(try Self.stale(db) == ["bulk_rows"])
            // Bulk work refreshes everything.
            try db.refreshPlannerStatistics()
            #expect(try Self.stale(db) == [])
            #expect(try Self.recordedRows(db) == "2250 2250")
        }
    }

    @Test func aWriterStartingWithStaleStatisticsRefreshesThem() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/deskgate.sqlite"
            let first = try Database.open(path: path)
            try Self.addRows(3_000, to: first)
            first.close()
            // Closing ran PRAGMA optimize, which left the new table without statistics.
            let plain = try Database.open(path: path)
            #expect(try Self.recordedRows(plain) == nil)
            plain.close()
            var configuration = DatabaseConfiguration()
            configuration.refreshStatisticsAtStart = true
            let second = try Database.open(path: path, configuration: configuration)
            defer { second.close() }
            #expect(try Self.recordedRows(second) == "3000 3000")
        }
    }

    @Test func aRunningDatabaseRefreshesStaleStatisticsEachInterval() throws {
        try withDatabase(configure: { $0.statisticsIntervalMilliseconds = 100 }) { db in
            try Self.addRows(2_000, to: db)
            // The keeper's next round analyzes the table through the writer; 5 s only bounds a failing run.
            let until = DispatchTime.now() + .seconds(5)
            var recorded = try Self.recordedRows(db)
            while recorded != "2000 2000" && DispatchTime.now() < until {
                usleepMilliseconds(50)
                recorded = try Self.recordedRows(db)
            }
            #expect(recorded == "2000 2000")
        }
    }
}
