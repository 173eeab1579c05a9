import DeskgateSQL
import Foundation
import Testing
@testable import DeskgateStore
import DeskgateModel

@Suite("Checkpointer")
struct CheckpointerTests {
    /// Commits never checkpoint (automatic checkpoints are off), so without the checkpointer
    /// thread the log would hold every page ever written. With it, the log is copied back
    /// between writes and starts over: it stays far smaller than what was written.
    @Test func theLogIsCopiedBackOffTheCommitPathAndStopsGrowing() throws {
        try withDatabase(configure: { $0.checkpointIntervalMilliseconds = 10 }) { db in
            try db.write { tx in try tx.connection.execute(script: "CREATE TABLE filler (data BLOB)") }
            let batches = 40, perBatch = 8, blob = 16_384
            for _ in 0..<batches {
                try db.write { tx in
                    for _ in 0..<perBatch { try tx.connection.execute(script: "INSERT INTO filler VALUES (randomblob(\(blob)))") }
                }
                Thread.sleep(forTimeInterval: 0.03)
            }
            let written = batches * perBatch * blob
            let log = (try FileManager.default.attributesOfItem(atPath: db.path + "-wal")[.size] as? Int) ?? 0
            #expect(log < written / 3, "the log holds \(log) bytes of \(written) written: checkpoints did not run")
            let rows = try db.withReader { try $0.queryOne("SELECT count(*) FROM filler") { $0.int64(0) } }
            #expect(rows == Int64(batches * perBatch))
        }
    }

    /// With nothing committed there is nothing to copy: idle rounds take no locks at all (a
    /// preempted idle round used to stall readers under load). A commit brings rounds back.
    @Test func roundsRunOnlyAfterCommits() throws {
        try withDatabase(configure: { $0.checkpointIntervalMilliseconds = 5 }) { db in
            // The thread runs at the lowest priority: on a busy machine a round may wait its turn
            // for a while, so the waits for one are generous (they end as soon as it ran).
            func waitForRound(after rounds: Int) {
                for _ in 0..<300 where db.writer.statistics.checkpointRounds <= rounds { Thread.sleep(forTimeInterval: 0.01) }
            }
            try db.write { tx in try tx.connection.execute(script: "CREATE TABLE filler (data BLOB)") }
            waitForRound(after: 0)
            Thread.sleep(forTimeInterval: 0.05)   // a round already under way finishes
            let settled = db.writer.statistics.checkpointRounds
            #expect(settled >= 1, "no round ran after a commit")
            Thread.sleep(forTimeInterval: 0.2)  // ~40 intervals with nothing new
            #expect(db.writer.statistics.checkpointRounds == settled, "idle rounds ran")
            try db.write { tx in try tx.connection.execute(script: "INSERT INTO filler VALUES (randomblob(1000))") }
            waitForRound(after: settled)
            #expect(db.writer.statistics.checkpointRounds > settled, "no round after a new commit")
        }
    }

    @Test func withTheCheckpointerOffSQLiteKeepsItsAutomaticCheckpoints() throws {
        try withDatabase(configure: { $0.checkpointIntervalMilliseconds = 0 }) { db in
            let automatic = try db.write { tx in try tx.connection.pragma("wal_autocheckpoint") }
            #expect(automatic == "1000")
        }
        try withDatabase { db in
            let automatic = try db.write { tx in try tx.connection.pragma("wal_autocheckpoint") }
            #expect(automatic == String(WriteQueue.defaultBackstopCheckpointPages))
        }
    }

    /// Writes that never pause (a bulk load) give the checkpointer no moment to start the log
    /// over; the backstop still bounds it. Without the backstop this log reached 21 GB during
    /// a one-million-ticket demo load.
    @Test func writesThatNeverPauseStillKeepTheLogBounded() throws {
        // One job per commit, all queued up front: the writer commits back to back.
        // A 4,000-page backstop (16 MB) keeps the test short; the default works the same way at 64 MB.
        try withDatabase(configure: {
            $0.checkpointIntervalMilliseconds = 10; $0.maxJobsPerBatch = 1; $0.backstopCheckpointPages = 4_000
        }) { db in
            try db.write { tx in try tx.connection.execute(script: "CREATE TABLE filler (data BLOB)") }
            let batches = 500, perBatch = 8, blob = 16_384
            for _ in 0..<batches {
                db.enqueue({ tx in
                    for _ in 0..<perBatch { try tx.connection.execute(script: "INSERT INTO filler VALUES (randomblob(\(blob)))") }
                }, completion: { _ in })
            }
            try db.write { _ in }
            let written = batches * perBatch * blob
            let log = (try FileManager.default.attributesOfItem(atPath: db.path + "-wal")[.size] as? Int) ?? 0
            // Without the backstop the log holds at least everything written; with it, well under
            // that, even when a loaded machine (other suites running) lets the checkpoints lag.
            #expect(log < written * 3 / 4, "the log holds \(log) bytes of \(written) written under continuous writes")
        }
    }

    /// Its rounds take milliseconds of CPU; at normal priority they preempted the writer
    /// mid-commit on a 2-core machine (the p99 of sequential `ticket_handle` calls).
    @Test func theCheckpointerThreadYieldsTheCPU() throws {
        try withDatabase(configure: { $0.checkpointIntervalMilliseconds = 10 }) { _ in
            // The thread is named before it lowers its priority: read until it has (or 3 s pass).
            var nice: Int?
            for _ in 0..<300 where nice != 19 {
                for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? [] {
                    let base = "/proc/self/task/\(task)/"
                    guard (try? String(contentsOfFile: base + "comm", encoding: .utf8))?.hasPrefix("db-checkpoint") == true,
                          let stat = try? String(contentsOfFile: base + "stat", encoding: .utf8),
                          let close = stat.lastIndex(of: ")") else { continue }
                    // Fields after the command name: state is field 3, nice is field 19.
                    let fields = stat[stat.index(after: close)...].split(separator: " ")
                    nice = Int(fields[16])
                }
                if nice != 19 { Thread.sleep(forTimeInterval: 0.01) }
            }
            #expect(nice == 19)
        }
    }
}
