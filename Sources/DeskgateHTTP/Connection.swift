/// What the access log and response framing need to remember about a request
/// while its handler runs elsewhere.
struct RequestInfo {
    var requestID: RequestID
    var method: String
    var path: String
    var startedAt: UInt64
    var keepAlive: Bool
    var version: HTTPVersion
    /// The matched route's `RouteTable` slot, for metrics.
    var route: Int = RouteTable.unmatched
    var isHEAD: Bool { method == "HEAD" }
}

/// One client connection, owned by exactly one event loop thread.
///
/// Requests on a connection are answered strictly in order: while one is with its
/// handler (`awaiting`) or streaming, later pipelined requests stay buffered, unparsed.
final class Connection {
    enum Phase {
        case reading
        case awaiting(RequestInfo)
        case streaming(RequestInfo, EventStream, chunked: Bool)
        /// Response sent, write side shut: read and discard until the peer closes (or a short
        /// deadline), so an unread request body does not turn our close into a reset that
        /// destroys the error response before the client reads it.
        case lingering
    }

    enum Deadline {
        case none
        case idle(UInt64)
        case request(UInt64)
        case linger(UInt64)
    }

    let fd: Int32
    let id: UInt64
    let remote: String
    var input: [UInt8] = []
    var readIndex = 0
    var parser: RequestParser
    var output: [UInt8] = []
    var outputIndex = 0
    var lastWriteProgress: UInt64
    var interest: UInt32 = 0
    var phase: Phase = .reading
    var serial: UInt64 = 0
    var closeAfterFlush = false
    var peerClosed = false
    var queuedForService = false
    var deadline: Deadline = .none
    /// Set on a TLS listener's connections; nil on plaintext ones (and once a TLS connection lingers).
    var tls: TLSStream?

    init(fd: Int32, id: UInt64, remote: String, limits: ParserLimits, now: UInt64) {
        self.fd = fd
        self.id = id
        self.remote = remote
        self.parser = RequestParser(limits: limits)
        self.lastWriteProgress = now
    }

    var hasPendingOutput: Bool { outputIndex < output.count }
    var bufferedInput: Int { input.count - readIndex }

    /// Nothing in flight, nothing half-read, nothing to write.
    var isIdle: Bool {
        if case .reading = phase { return parser.isBetweenRequests && bufferedInput == 0 && !hasPendingOutput }
        return false
    }

    func ref() -> ConnectionRef { ConnectionRef(fd: fd, connectionID: id, serial: serial) }

    /// Drops consumed input so the buffer does not grow with a long keep-alive connection.
    func compactInput() {
        if readIndex == input.count {
            input.removeAll(keepingCapacity: input.capacity <= 256 * 1024)
            readIndex = 0
        } else if readIndex > 64 * 1024 {
            input.removeFirst(readIndex)
            readIndex = 0
        }
    }
}
