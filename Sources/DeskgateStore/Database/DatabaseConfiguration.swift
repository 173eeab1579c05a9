import DeskgateSQL
import DeskgateModel
import DeskgateSystem

/// Tunables for `Database.open`. Defaults suit both servers and the CLI.
public struct DatabaseConfiguration: Sendable {
    /// How long a connection waits on another process's lock before SQLITE_BUSY.
    public var busyTimeoutMilliseconds: Int32 = 5_000
    /// Pooled read-only connections; blocking work beyond this waits.
    public var readerPoolSize: Int = 2 * availableCores
    /// How long `withReader` waits for a free connection before `readerPoolExhausted`.
    public var readerCheckoutTimeoutMilliseconds: Int = 5_000
    /// The time budget of every statement on a read connection (pooled, a loop's, the
    /// readiness probe's): a longer one is stopped with `StoreError.overBudget`. 0: none (the
    /// CLI's default; the servers set `read_budget_ms`). The writer has none: see docs/storage.md.
    public var readBudgetMilliseconds: Int = 0
    /// SQLite: refresh stale planner statistics (`PlannerStatistics`) when the writer starts,
    /// and then this often while it runs (0: never). The servers set both; the CLI refreshes
    /// after its bulk commands instead.
    public var refreshStatisticsAtStart = false
    public var statisticsIntervalMilliseconds = 0
    /// Upper bound on jobs folded into one group-commit transaction.
    public var maxJobsPerBatch: Int = 256
    /// How often the checkpointer copies the write-ahead log into the database file (off the
    /// commit path; see `Checkpointer`). 0 leaves checkpoints to SQLite's automatic ones.
    public var checkpointIntervalMilliseconds: Int = 250
    /// Log pages after which a COMMIT checkpoints by itself although the checkpointer runs (see
    /// `WriteQueue`): the bound on the log under writes that never leave it wholly copied.
    public var backstopCheckpointPages: Int = WriteQueue.defaultBackstopCheckpointPages
    /// The schema steps to apply; tests substitute their own.
    public var migrations: [Migration] = Migration.all

    public init() {}
}
