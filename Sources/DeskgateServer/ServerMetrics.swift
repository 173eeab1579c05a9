import DeskgateConfig
import DeskgateHTTP
import DeskgateIdentity
import DeskgateMetrics
import DeskgateStore
import DeskgateSystem

/// The families both servers expose whatever their routes: build and process, the worker
/// pool, the write queue and the read pool. All read when scraped from state kept anyway.
enum ServerMetrics {
    static func install(program: Program, storage: Storage, workers: WorkerPool) {
        let registry = Metrics.registry
        let started = Double(WallClock.milliseconds()) / 1000
        registry.register(SampledFamily("deskgate_build_info", help: "Always 1; the labels say which build runs.") {
            [(Labels([("program", program.rawValue), ("version", BuildInfo.version), ("swift_version", BuildInfo.swiftVersion)]), 1)]
        })
        registry.register(SampledFamily("deskgate_process_start_time_seconds",
                                        help: "When the process started, in seconds since the Unix epoch.") { started })
        registry.register(SampledFamily("deskgate_worker_queue_depth",
                                        help: "Jobs waiting for a worker thread (both lanes).") { Double(workers.pending) })
        registry.register(SampledFamily("deskgate_worker_threads", help: "Worker threads, by lane.") {
            [(Labels([("lane", "general")]), Double(workers.threadCount)),
             (Labels([("lane", "reserved")]), Double(workers.reservedThreadCount))]
        })
        let database = storage.database
        StoreMetrics.install()
        registry.register(SampledFamily("deskgate_db_write_queue_depth",
                                        help: "Write jobs queued for the writer thread, not yet in a batch.") { Double(database.writer.depth) })
        registry.register(SampledFamily("deskgate_db_write_jobs_total", help: "Write jobs finished, by result.", type: .counter) {
            let statistics = database.writer.statistics
            return [(Labels([("result", "committed")]), Double(statistics.committedJobs)),
                    (Labels([("result", "failed")]), Double(statistics.failedJobs))]
        })
        registry.register(SampledFamily("deskgate_db_read_pool_connections", help: "Pooled read connections: the pool's size and those lent out now.") {
            [(Labels([("state", "capacity")]), Double(database.readers.size)),
             (Labels([("state", "in_use")]), Double(database.readers.inUse))]
        })
        registry.register(SampledFamily("deskgate_db_read_pool_exhausted_total",
                                        help: "Reads refused because no pooled connection came free in time.", type: .counter) {
            Double(database.readers.exhaustions)
        })
    }
}
