import DeskgateMetrics

/// What the writer thread records per batch (never per read): how long a batch's transaction
/// took, begin to commit, and how many jobs it carried. Queue depth, job totals and the read
/// pool are read when scraped (`WriteQueue.depth`, `statistics`, `ReadPool.inUse`).
public enum StoreMetrics {
    static let commitLatency = Metrics.registry.register(HistogramFamily(
        "deskgate_db_commit_duration_seconds",
        help: "Time one group-commit batch spent in its write transaction, begin to commit (fsync included).",
        bounds: HistogramFamily.latencyBounds, divisor: HistogramFamily.nanosecondsPerSecond))

    static let batchSize = Metrics.registry.register(HistogramFamily(
        "deskgate_db_write_batch_size", help: "Write jobs per group-commit batch.",
        bounds: [1, 2, 4, 8, 16, 32, 64, 128, 256]))

    /// Registers the families, so a scrape shows them before the first write.
    public static func install() {
        _ = (commitLatency, batchSize)
    }
}
