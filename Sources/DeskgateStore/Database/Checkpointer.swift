import DeskgateSQL
import DeskgateSQLite
import Dispatch
import DeskgateSystem
import Synchronization

/// Copies the write-ahead log back into the database file on its own thread and connection.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that crosses the threshold (1,000
/// pages), so one write in every few hundred paid for copying the whole log and, with
/// `synchronous=FULL`, an fsync of the database file: that was the tail of `ticket_handle`
/// (p50 2 ms, p99 up to 10.5 ms). This thread runs PASSIVE checkpoints instead: they never
/// take the write lock and never wait for readers, so a commit does not wait for one. Once
/// everything in the log is copied and no reader needs it, the next commit starts it over
/// (`journal_size_limit` then trims the file). Writes that never pause leave no such moment,
/// so the writer keeps SQLite's automatic checkpoint as a backstop at a higher threshold
/// (`WriteQueue.backstopCheckpointPages`).
///
/// A round runs only when there is something to copy: the writer has committed since the last
/// round, or the last round could not copy everything (a reader still needed part of the log).
/// An idle round is not free: it takes SQLite's checkpoint lock (an `fcntl` pair and the
/// process's shm mutex, which the event loops' read transactions also take) four times a
/// second for nothing, and wakes an idle server. Frames another process commits are copied by
/// that process's checkpointer, or here with the next local commit.
final class Checkpointer: Sendable {
    /// Commits the writer has reported; starts at 1 so the first round looks at the log.
    private let commits = Atomic<UInt64>(1)
    private let roundsRun = Atomic<Int>(0)
    private let upkeep = UpkeepThread()

    /// Starts checkpointing `path` every `intervalMilliseconds`. Opening the connection happens on the thread; if it fails, commits
    /// fall back to nothing worse than a longer log, so the failure is logged, not thrown.
    static func start(path: String, intervalMilliseconds: Int) -> Checkpointer {
        let checkpointer = Checkpointer()
        checkpointer.upkeep.spawn(name: "db-checkpoint", nice: 19) {
            checkpointer.run(path: path, interval: .milliseconds(intervalMilliseconds))
        }
        return checkpointer
    }

    private init() {}

    /// Rounds that ran a checkpoint, for statistics and tests.
    var rounds: Int { roundsRun.load(ordering: .relaxed) }

    /// Called by the writer after each batch: the next round has new frames to copy.
    func noteCommit() {
        commits.add(1, ordering: .relaxed)
    }

    /// Stops the thread and waits for it; its connection is closed when this returns.
    func stop() {
        upkeep.stop()
    }

    private func run(path: String, interval: DispatchTimeInterval) {
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: 0)
            // SQLite opens the file lazily: until this first read the connection does not know
            // the database is in WAL mode, and its checkpoints would do nothing.
            guard try connection.pragma("journal_mode") == "wal" else { return }
        } catch {
            Log.error("checkpoint_connection_failed", ["error": .string(String(describing: error))])
            return
        }
        var checkedCommits: UInt64 = 0
        var unfinished = false
        while upkeep.nextRound(after: interval) {
            let seen = commits.load(ordering: .relaxed)
            guard seen != checkedCommits || unfinished else { continue }
            checkedCommits = seen
            unfinished = !checkpoint(connection)
            roundsRun.add(1, ordering: .relaxed)
        }
    }

    /// One PASSIVE round; false when frames were left in the log for a later round.
    private func checkpoint(_ connection: SQLiteConnection) -> Bool {
        switch connection.checkpointPassive() {
        case .complete: return true
        case .partial: return false
        case .failed(let code):
            Log.error("checkpoint_failed", ["code": .int(Int(code))])
            return false
        }
    }
}
