import DeskgateSystem
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// What a router factory learns about the loop it builds a router for.
public struct LoopContext: Sendable {
    public let index: Int
    public let workers: WorkerPool
    /// The bound port (the real one when configured with port 0).
    public let port: Int
}

/// An HTTP/1.1 server: one event loop per core, each with its own SO_REUSEPORT listener.
public final class HTTPServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        public var loops = availableCores
        public var limits = ParserLimits()
        /// Time allowed to receive a whole request once its first byte arrived (408 after).
        public var headerTimeout: Double = 10
        /// Time a kept-alive connection may sit without a request, and a write may stall.
        public var idleTimeout: Double = 60
        public var accessLog = true
        public var workerThreads = availableCores
        /// Threads only writes and health checks run on (`WorkLane.reserved`).
        public var reservedWorkerThreads = max(2, availableCores / 2)
        public var workerQueueLimit = 4096
        /// How long shutdown waits for in-flight requests.
        public var shutdownGrace: Double = 10
        /// Pipelined input buffered while a request is with its handler.
        public var maxBufferedInputBytes = 2 << 20
        /// Unsent output above which a connection is no longer read from.
        public var maxBufferedOutputBytes = 4 << 20
        /// Unsent stream output above which a slow stream consumer is dropped.
        public var maxStreamBacklogBytes = 8 << 20
        /// Serve HTTPS with these certificates (nil: plain HTTP). `TLSCertificates.reload` swaps them live.
        public var tls: TLSCertificates?

        public init() {}

        var headerTimeoutNanoseconds: UInt64 { UInt64(max(0.001, headerTimeout) * 1e9) }
        var idleTimeoutNanoseconds: UInt64 { UInt64(max(0.001, idleTimeout) * 1e9) }
    }

    public let configuration: Configuration
    /// The bound port (useful when configured with port 0).
    public let port: Int
    public let workers: WorkerPool
    private let inboxes: [LoopInbox]
    private let stopped = DispatchSemaphore(value: 0)

    private init(configuration: Configuration, port: Int, workers: WorkerPool, inboxes: [LoopInbox]) {
        self.configuration = configuration
        self.port = port
        self.workers = workers
        self.inboxes = inboxes
    }

    /// Binds every listener (so a taken port fails here, synchronously) and starts the loops.
    /// `makeRouter` runs on each loop's own thread.
    public static func start(_ configuration: Configuration,
                             makeRouter: @escaping @Sendable (LoopContext) -> Router) throws -> HTTPServer {
        let loopCount = max(1, configuration.loops)
        HTTPMetrics.install()
        // OpenSSL's socket BIO writes with write(2), which raises SIGPIPE on a connection the
        // peer reset; the error return is all the server needs.
        if configuration.tls != nil { signal(SIGPIPE, SIG_IGN) }
        var listeners: [Int32] = []
        do {
            let port = try Socket.claimPort(host: configuration.host, port: configuration.port)
            for _ in 0..<loopCount {
                listeners.append(try Socket.listen(host: configuration.host, port: port))
            }
        } catch {
            for fd in listeners { close(fd) }
            throw error
        }
        let inboxes = try (0..<loopCount).map { _ in try LoopInbox() }
        let workers = WorkerPool(threads: configuration.workerThreads, reservedThreads: configuration.reservedWorkerThreads,
                                 queueLimit: configuration.workerQueueLimit)
        let server = HTTPServer(configuration: configuration, port: Socket.localPort(listeners[0]),
                                workers: workers, inboxes: inboxes)
        let boundPort = server.port
        for index in 0..<loopCount {
            let listener = listeners[index]
            let inbox = inboxes[index]
            spawnThread(name: "http-loop-\(index)") {
                let router = makeRouter(LoopContext(index: index, workers: workers, port: boundPort))
                do {
                    let loop = try EventLoop(index: index, listener: listener, inbox: inbox, workers: workers,
                                             configuration: configuration, router: router)
                    loop.run()
                } catch {
                    Log.error("event_loop_failed", ["loop": .int(index), "error": .string(String(describing: error))])
                }
                server.stopped.signal()
            }
        }
        return server
    }

    /// Stops accepting, lets in-flight requests finish (up to the grace period), then stops the loops.
    public func shutdown(graceSeconds: Double? = nil) {
        for inbox in inboxes { inbox.post(.shutdown(graceSeconds: graceSeconds ?? configuration.shutdownGrace)) }
    }

    /// Blocks until every loop has stopped.
    public func waitUntilStopped() {
        for _ in inboxes { stopped.wait() }
        for _ in inboxes { stopped.signal() }
    }
}
