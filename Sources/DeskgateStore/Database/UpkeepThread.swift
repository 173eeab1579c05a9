import Dispatch
import DeskgateSystem
import Synchronization

/// A low-priority thread that does a round of upkeep every interval until stopped (the
/// checkpointer, the planner statistics). Stopping wakes it at once and waits for it to end.
final class UpkeepThread: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    /// Runs `body` on a new thread at `nice`: on a busy machine the writer and the loops go first.
    func spawn(name: String, nice: Int32, _ body: @escaping @Sendable () -> Void) {
        spawnThread(name: name) { [self] in
            lowerThreadPriority(nice: nice)
            body()
            stopped.signal()
        }
    }

    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Waits `interval` (less when stopped); false when the thread should end.
    func nextRound(after interval: DispatchTimeInterval) -> Bool {
        _ = wake.wait(timeout: .now() + interval)
        return !isStopping
    }

    /// Stops the thread and waits for `body` to return; a second call does nothing.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        stopped.wait()
    }
}
