import DeskgateSQL
import Dispatch
import DeskgateSystem
import Synchronization

/// Refreshes stale planner statistics while a server runs (SQLite): every interval it finds the
/// stale tables on a read connection of its own (a `count(*)` per table: 0.34 s for all 46
/// tables at 200k tickets, so not on the writer thread), then hands the writer one `ANALYZE`
/// job per table, each waiting for the last, so other writes run between them and wait at
/// most for one table (0.34 s for `tickets` at 200k tickets).
final class StatisticsKeeper: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    static func start(database: Database, intervalMilliseconds: Int) -> StatisticsKeeper {
        let keeper = StatisticsKeeper()
        spawnThread(name: "db-statistics") {
            // Upkeep: on a busy machine the writer and the loops go first.
            lowerThreadPriority(nice: 10)
            keeper.run(database, interval: .milliseconds(intervalMilliseconds))
            keeper.stopped.signal()
        }
        return keeper
    }

    private init() {}

    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        stopped.wait()
    }

    private func run(_ database: Database, interval: DispatchTimeInterval) {
        while !stopping.load(ordering: .acquiring) {
            _ = wake.wait(timeout: .now() + interval)
            if stopping.load(ordering: .acquiring) { break }
            let stale: [String]
            do {
                // A connection per round: nothing is held between hours.
                let reader = try database.openReader()
                stale = try PlannerStatistics.staleTables(on: reader)
            } catch {
                Log.error("planner_statistics_failed", ["reason": "interval", "error": .string(String(describing: error))])
                continue
            }
            for table in stale where !stopping.load(ordering: .acquiring) {
                PlannerStatistics.logged("interval", tables: [table]) {
                    try database.write { tx in try PlannerStatistics.refresh(table: table, on: tx.connection) }
                }
            }
        }
    }
}
