import DeskgateSQL
import DeskgateSystem

/// Keeps the query planner's statistics current, so a plan chosen for yesterday's data (one
/// tenant, before a bulk load added another) does not run today's query for minutes.
///
/// SQLite: `ANALYZE` on the writer's connection (statistics go to `sqlite_stat1`; ANALYZE bumps
/// the schema cookie, so every connection of every process reloads them and re-prepares its
/// cached statements). Whole-database after bulk work (`deskgate demo`, `deskgate store copy`);
/// at server start (the writer, before serving) and every `statisticsIntervalMilliseconds`
/// (`StatisticsKeeper`), only the tables whose row count moved by a tenth since their
/// statistics were taken (autovacuum's rule on PostgreSQL), one table per write job.
///
/// Not `PRAGMA optimize`: on the SQLite this runs on (3.40) it re-analyzes only tables the same
/// connection has queried and whose size changed about tenfold, which misses a new 200k-row
/// tenant beside a million rows. Not `analysis_limit`: reading only the first rows of each index
/// makes a one-tenant column look selective (1,001 rows per tenant instead of 200,003, measured).
///
/// PostgreSQL: `ANALYZE` after bulk work (the CLI runs as the owner); otherwise autovacuum's
/// auto-analyze keeps statistics current, and the servers' role may not analyze tables it does
/// not own anyway.
enum PlannerStatistics {
    /// Refreshes every table's statistics.
    static func refresh(on connection: any SQLConnection) throws {
        try connection.execute(script: "ANALYZE")
    }

    /// SQLite: refreshes one table's statistics.
    static func refresh(table: String, on connection: any SQLConnection) throws {
        try connection.execute(script: "ANALYZE " + quoted(table))
    }

    /// SQLite: the tables whose statistics are missing or stale: at least `minimumRows` rows now,
    /// and a row count that moved by at least `fraction` from the one `sqlite_stat1` recorded.
    /// Costs a `count(*)` per table (tens of milliseconds at a million rows).
    static func staleTables(on connection: any SQLConnection, fraction: Double = 0.1, minimumRows: Int64 = 1_000) throws -> [String] {
        guard connection.dialect == .sqlite else { return [] }
        let tables = try connection.queryAll("""
            SELECT name FROM sqlite_schema
            WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
            ORDER BY name
            """) { $0.string(0) }
        let hasStatistics = try connection.queryOne("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'") { $0.int(0) } == 1
        var recorded: [String: Int64] = [:]
        if hasStatistics {
            // The first number of a stat row is the rows it covers (fewer for a partial index).
            for (table, rows) in try connection.queryAll("SELECT tbl, max(CAST(stat AS INTEGER)) FROM sqlite_stat1 GROUP BY tbl",
                                                         map: { ($0.string(0), $0.int64(1)) }) {
                recorded[table] = rows
            }
        }
        return try tables.filter { table in
            let rows = try connection.queryOne("SELECT count(*) FROM " + quoted(table)) { $0.int64(0) } ?? 0
            guard rows >= minimumRows else { return false }
            guard let before = recorded[table] else { return true }
            return Double(abs(rows - before)) >= fraction * Double(max(before, 1))
        }
    }

    /// `body`, logged with how long it took; a failure costs only staler plans, so it is logged
    /// and swallowed.
    static func logged(_ reason: String, tables: [String]? = nil, _ body: () throws -> Void) {
        let started = ContinuousClock.now
        do {
            try body()
            let took = ContinuousClock.now - started
            var fields: [String: LogValue] = ["reason": .string(reason),
                                              "ms": .int(Int(took.components.seconds * 1000 + took.components.attoseconds / 1_000_000_000_000_000))]
            if let tables { fields["tables"] = .string(tables.joined(separator: ",")) }
            Log.info("planner_statistics_refreshed", fields)
        } catch {
            Log.error("planner_statistics_failed", ["reason": .string(reason), "error": .string(String(describing: error))])
        }
    }

    private static func quoted(_ name: String) -> String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }
}
