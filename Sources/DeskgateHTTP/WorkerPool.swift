import DeskgateSystem
import Dispatch
import Synchronization

/// Which threads of the `WorkerPool` may run a job.
public enum WorkLane: Sendable {
    /// Reads, searches, password hashing: anything that may take long.
    case general
    /// Writes and health checks: short, and never to wait behind a slow read. Reserved threads
    /// run only these; general threads take them first when they are free.
    case reserved
}

/// A fixed set of threads for work that may block or burn CPU (password hashing,
/// signature checks, long queries), so event loops never stall.
///
/// Two lanes: general threads run everything (reserved jobs first), reserved threads run only
/// reserved jobs (writes, `/readyz`). Slow reads can occupy every general thread; a write or a
/// health check still finds a reserved one.
///
/// Each lane's queue is bounded: when it is full, `submit` refuses and the caller answers 503
/// instead of letting latency grow without limit.
public final class WorkerPool: Sendable {
    public typealias Job = @Sendable () -> Void

    private let queues: Mutex<Queues>
    /// One permit per job any general thread may take (jobs of both lanes).
    private let generalWork = DispatchSemaphore(value: 0)
    /// One permit per reserved job.
    private let reservedWork = DispatchSemaphore(value: 0)
    public let threadCount: Int
    public let reservedThreadCount: Int
    public let queueLimit: Int

    private struct Queue: ~Copyable {
        var jobs: [Job] = []
        var head = 0
        var count: Int { jobs.count - head }

        mutating func pop() -> Job? {
            guard count > 0 else { return nil }
            let job = jobs[head]
            head += 1
            // Compact occasionally so the array does not grow for ever.
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            return job
        }
    }

    private struct Queues: ~Copyable {
        var general = Queue()
        var reserved = Queue()
    }

    public init(threads: Int, reservedThreads: Int = 0, queueLimit: Int, name: String = "worker") {
        threadCount = max(1, threads)
        reservedThreadCount = max(0, reservedThreads)
        self.queueLimit = max(1, queueLimit)
        queues = Mutex(Queues())
        for index in 0..<threadCount {
            spawnThread(name: "\(name)-\(index)") { [self] in self.work(reservedOnly: false) }
        }
        for index in 0..<reservedThreadCount {
            spawnThread(name: "\(name)-r\(index)") { [self] in self.work(reservedOnly: true) }
        }
    }

    /// Queues `job` on `lane`; false when that lane's queue is full.
    @discardableResult
    public func submit(lane: WorkLane = .general, _ job: @escaping Job) -> Bool {
        let accepted = queues.withLock { queues -> Bool in
            switch lane {
            case .general:
                guard queues.general.count < queueLimit else { return false }
                queues.general.jobs.append(job)
            case .reserved:
                guard queues.reserved.count < queueLimit else { return false }
                queues.reserved.jobs.append(job)
            }
            return true
        }
        guard accepted else { return false }
        // Permits may outnumber the jobs a thread finds (a job taken by the other kind of
        // thread); such a wake-up finds nothing and waits again. Never fewer, so no job waits
        // while a thread that may run it sleeps.
        generalWork.signal()
        if lane == .reserved && reservedThreadCount > 0 { reservedWork.signal() }
        return accepted
    }

    /// Jobs waiting for a thread.
    public var pending: Int { queues.withLock { $0.general.count + $0.reserved.count } }

    private func work(reservedOnly: Bool) {
        while true {
            (reservedOnly ? reservedWork : generalWork).wait()
            let job = queues.withLock { queues -> Job? in
                if let job = queues.reserved.pop() { return job }
                return reservedOnly ? nil : queues.general.pop()
            }
            job?()
        }
    }
}
