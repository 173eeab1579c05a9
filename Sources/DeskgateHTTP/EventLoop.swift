import CLinux
import DeskgateSystem
#if canImport(Glibc)
import Glibc
#endif

/// One thread, one epoll instance, one listener, and every connection accepted on it.
///
/// Nothing here is shared: other threads reach the loop only through its `LoopInbox`.
final class EventLoop {
    let index: Int
    let configuration: HTTPServer.Configuration
    let selector: Selector
    let inbox: LoopInbox
    let workers: WorkerPool
    var router: Router
    private(set) var listener: Int32
    var connections: [Connection?] = []
    /// Connections with input (or a finished reply) to serve in this turn, in the order they got it.
    var serviceQueue: [Connection] = []
    /// TLS connections with input inside OpenSSL that epoll cannot report (`readPendingTLS`).
    var tlsPending: [Connection] = []
    var connectionCount = 0
    private var nextConnectionID: UInt64 = 0
    private var reserveFD: Int32
    var dateCache = HTTPDateCache()
    var accessLog: AccessLog
    /// The families this loop records into, held here so a request pays no global lookups.
    let metrics = HTTPMetrics.Recorder()
    var requestIDs: RequestIDGenerator
    var now: UInt64 = MonotonicClock.nanoseconds()
    private var nextSweep: UInt64 = 0
    var draining = false
    private var drainDeadline: UInt64 = 0
    private var finished = false
    /// One read buffer per loop: connections copy out only what they received.
    let scratch: UnsafeMutableRawBufferPointer

    static let sweepInterval: UInt64 = 250_000_000

    init(index: Int, listener: Int32, inbox: LoopInbox, workers: WorkerPool,
         configuration: HTTPServer.Configuration, router: Router) throws {
        self.index = index
        self.listener = listener
        self.inbox = inbox
        self.workers = workers
        self.configuration = configuration
        self.router = router
        selector = try Selector()
        accessLog = AccessLog(enabled: configuration.accessLog)
        requestIDs = RequestIDGenerator(loopIndex: index)
        reserveFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
        scratch = .allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit { scratch.deallocate() }

    func run() {
        selector.register(listener, interest: EPOLLIN.rawValue)
        selector.register(inbox.eventFD, interest: EPOLLIN.rawValue)
        while !finished {
            let count = selector.wait(timeoutMilliseconds: tlsPending.isEmpty ? timeoutUntilSweep() : 0)
            now = MonotonicClock.nanoseconds()
            dateCache.refresh()
            // Read everything that is ready, serve it, end the turn, then write the responses:
            // every request a turn serves arrived before any of them ran, which lets handlers
            // share per-turn state (one read snapshot, ended before the writes) without serving
            // anyone older data (`TurnSnapshot`).
            for position in 0..<count {
                let (fd, events) = selector.event(at: position)
                if fd == listener {
                    acceptConnections()
                } else if fd == inbox.eventFD {
                    processInbox()
                } else if let connection = connection(fd) {
                    handleEvents(events, on: connection)
                }
            }
            if !tlsPending.isEmpty { readPendingTLS() }
            serveQueued()
            router.endTurn()
            flushQueued()
            if now >= nextSweep {
                sweepDeadlines()
                nextSweep = now + Self.sweepInterval
            }
            accessLog.flush()
            if draining && (connectionCount == 0 || now >= drainDeadline) { finished = true }
        }
        for case let connection? in connections { close(connection) }
        accessLog.flush()
        selector.deregister(inbox.eventFD)
    }

    private func timeoutUntilSweep() -> Int32 {
        let current = MonotonicClock.nanoseconds()
        if current >= nextSweep { return 0 }
        return Int32((nextSweep - current) / 1_000_000) + 1
    }

    func connection(_ fd: Int32) -> Connection? {
        Int(fd) < connections.count ? connections[Int(fd)] : nil
    }

    func connection(for ref: ConnectionRef) -> Connection? {
        guard let connection = connection(ref.fd), connection.id == ref.connectionID,
              connection.serial == ref.serial else { return nil }
        return connection
    }

    // MARK: Accepting

    private func acceptConnections() {
        // A bounded batch keeps one busy listener from starving established connections.
        for _ in 0..<64 {
            let fd = Socket.accept(listener)
            if fd < 0 {
                let code = errno
                if code == EMFILE || code == ENFILE { shedOneConnection() }
                return
            }
            Socket.setNoDelay(fd)
            nextConnectionID += 1
            let remote = configuration.accessLog ? Socket.peerAddress(fd) : ""
            let connection = Connection(fd: fd, id: nextConnectionID, remote: remote,
                                        limits: configuration.limits, now: now)
            if Int(fd) >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count + 64))
            }
            connections[Int(fd)] = connection
            connectionCount += 1
            metrics.openConnections.add(0, 1)
            // A client that connects and says nothing gets the header timeout, not the idle one
            // (which is for a keep-alive connection between requests): silent sockets are cut as
            // soon as slow ones.
            // Over TLS the same deadline covers the handshake.
            connection.deadline = .idle(now + min(configuration.headerTimeoutNanoseconds, configuration.idleTimeoutNanoseconds))
            if let certificates = configuration.tls { connection.tls = TLSStream(certificates: certificates) }
            connection.interest = Selector.readable
            selector.register(fd, interest: Selector.readable)
        }
    }

    /// Out of descriptors: free the reserve, accept and close one pending client so it
    /// gets a prompt close instead of waiting in the backlog, then re-arm the reserve.
    private func shedOneConnection() {
        Log.warn("accept_failed", ["reason": "too many open files", "loop": .int(index)])
        if reserveFD >= 0 { Glibc.close(reserveFD) }
        let fd = Socket.accept(listener)
        if fd >= 0 { Glibc.close(fd) }
        reserveFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    // MARK: Inbox

    private func processInbox() {
        for message in inbox.drain() {
            switch message {
            case .respond(let ref, let response):
                guard let connection = connection(for: ref), case .awaiting(let info) = connection.phase else { continue }
                write(response, info: info, on: connection)
                queueService(connection)
            case .streamData(let ref, let bytes):
                guard let connection = connection(for: ref),
                      case .streaming(_, _, let chunked) = connection.phase else { continue }
                if chunked {
                    ResponseEncoder.encodeChunk(bytes, into: &connection.output)
                } else {
                    connection.output.append(contentsOf: bytes)
                }
                flush(connection)
                if let connection = self.connection(for: ref),
                   connection.output.count - connection.outputIndex > configuration.maxStreamBacklogBytes {
                    // A consumer this far behind is not reading: drop it rather than buffer without bound.
                    close(connection)
                }
            case .streamEnd(let ref):
                guard let connection = connection(for: ref) else { continue }
                endStream(connection)
                queueService(connection)
            case .shutdown(let grace):
                beginDrain(graceSeconds: grace)
            }
        }
    }

    // MARK: Shutdown

    private func beginDrain(graceSeconds: Double) {
        guard !draining else { return }
        draining = true
        drainDeadline = now + UInt64(max(0, graceSeconds) * 1e9)
        selector.deregister(listener)
        Glibc.close(listener)
        listener = -1
        for case let connection? in connections {
            switch connection.phase {
            case .reading where connection.isIdle:
                close(connection)
            case .streaming:
                endStream(connection)
                connection.closeAfterFlush = true
                flush(connection)
            default:
                break
            }
        }
    }

    func close(_ connection: Connection) {
        guard self.connection(connection.fd) === connection else { return }
        selector.deregister(connection.fd)
        Glibc.close(connection.fd)
        connections[Int(connection.fd)] = nil
        connectionCount -= 1
        metrics.openConnections.add(0, -1)
        if case .streaming(_, let stream, _) = connection.phase {
            stream.markClosed()
            metrics.openStreams.add(0, -1)
        }
        connection.phase = .lingering
    }
}
