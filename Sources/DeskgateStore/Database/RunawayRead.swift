#if DEBUG
public import DeskgateSQL

/// Debug builds only: a read statement that never ends by itself (an unbounded recursive CTE),
/// for tests that need a read to occupy a reader until its time budget stops it. Release builds
/// do not contain it.
public enum RunawayRead {
    public static func run(on connection: any SQLConnection) throws {
        _ = try connection.queryOne("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r") { $0.int64(0) }
    }
}
#endif
