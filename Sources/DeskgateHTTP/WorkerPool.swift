import DeskgateSystem
import Dispatch
import Synchronization

/// A fixed set of threads for work that may block or burn CPU (password hashing,
/// signature checks, long queries), so event loops never stall.
///
/// The queue is bounded: when it is full, `submit` refuses and the caller answers 503
/// instead of letting latency grow without limit.
public final class WorkerPool: Sendable {
    public typealias Job = @Sendable () -> Void

    private let queue: Mutex<Queue>
    private let available = DispatchSemaphore(value: 0)
    public let threadCount: Int
    public let queueLimit: Int

    private struct Queue: ~Copyable {
        var jobs: [Job] = []
        var head = 0
        var count: Int { jobs.count - head }
    }

    public init(threads: Int, queueLimit: Int, name: String = "worker") {
        threadCount = max(1, threads)
        self.queueLimit = max(1, queueLimit)
        queue = Mutex(Queue())
        for index in 0..<threadCount {
            spawnThread(name: "\(name)-\(index)") { [self] in self.work() }
        }
    }

    /// Queues `job`; false when the queue is full.
    @discardableResult
    public func submit(_ job: @escaping Job) -> Bool {
        let accepted = queue.withLock { queue -> Bool in
            guard queue.count < queueLimit else { return false }
            queue.jobs.append(job)
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    /// Jobs waiting for a thread.
    public var pending: Int { queue.withLock { $0.count } }

    private func work() {
        while true {
            available.wait()
            let job = queue.withLock { queue -> Job? in
                guard queue.count > 0 else { return nil }
                let job = queue.jobs[queue.head]
                queue.head += 1
                // Compact occasionally so the array does not grow for ever.
                if queue.head > 1024 && queue.head * 2 > queue.jobs.count {
                    queue.jobs.removeFirst(queue.head)
                    queue.head = 0
                }
                return job
            }
            job?()
        }
    }
}
