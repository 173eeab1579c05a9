import Synchronization

/// Per-request services for a handler, valid on the loop thread during the handler call.
public struct RequestContext {
    public let requestID: RequestID
    let destination: ReplyDestination
    let workers: WorkerPool

    init(requestID: RequestID, ref: ConnectionRef, inbox: LoopInbox, workers: WorkerPool) {
        self.requestID = requestID
        destination = .loop(ref, inbox)
        self.workers = workers
    }

    /// A context whose deferred and streamed replies go to `receiver` instead of a connection:
    /// for driving handlers in process, without sockets. Offloaded work still runs on `workers`.
    public init(requestID: RequestID, workers: WorkerPool, receiver: any ReplyReceiver) {
        self.requestID = requestID
        destination = .receiver(receiver)
        self.workers = workers
    }

    /// A one-shot completion that may be used from any thread.
    public func responder() -> Responder {
        Responder(destination: destination, requestID: requestID)
    }

    /// Runs `work` on the worker pool and answers with its response (503 if the pool is saturated).
    /// Writes and health checks go on the `.reserved` lane, which slow reads cannot occupy.
    public func offload(lane: WorkLane = .general, _ work: @escaping @Sendable () throws -> Response) -> Reply {
        let responder = responder()
        let queued = workers.submit(lane: lane) {
            do { responder.respond(try work()) } catch { responder.fail(error) }
        }
        if !queued {
            var response = Response.error(HTTPError(.serviceUnavailable, "server busy, retry shortly"))
            response.headers.add("Retry-After", "1")
            return .response(response)
        }
        return .deferred
    }

    /// A way to run a streamed reply's producer on the worker pool, usable from any thread once
    /// the handler returned (the context itself is not): false when the pool is saturated.
    public func submitter(lane: WorkLane = .general) -> @Sendable (@escaping @Sendable () -> Void) -> Bool {
        let workers = self.workers
        return { job in workers.submit(lane: lane, job) }
    }

    /// Runs `work` as a Swift task and answers with its response.
    public func run(_ work: @escaping @Sendable () async throws -> Response) -> Reply {
        let responder = responder()
        Task {
            do { responder.respond(try await work()) } catch { responder.fail(error) }
        }
        return .deferred
    }

    /// Promises a response that `body` will deliver through the responder.
    public func later(_ body: (Responder) -> Void) -> Reply {
        body(responder())
        return .deferred
    }

    /// Starts a streamed response (for server-sent events: `text/event-stream`).
    ///
    /// The head is written at once; `start` then receives the stream, which any thread
    /// may feed. Each `send` is flushed to the socket as its own chunk.
    public func stream(status: HTTPStatus = .ok, headers: HTTPHeaders,
                       _ start: @escaping @Sendable (EventStream) -> Void) -> Reply {
        let stream = EventStream(destination: destination)
        return Reply(kind: .stream(StreamStart(status: status, headers: headers, stream: stream, start: start)))
    }
}

/// Completes a deferred request from any thread. Only the first completion counts;
/// a completion for a connection that has gone away is dropped.
public struct Responder: Sendable {
    let destination: ReplyDestination
    public let requestID: RequestID

    public func respond(_ response: Response) {
        switch destination {
        case .loop(let ref, let inbox): inbox.post(.respond(ref, response))
        case .receiver(let receiver): receiver.respond(response)
        }
    }

    /// An `HTTPError` keeps its status; anything else becomes a 500 carrying the request id.
    public func fail(_ error: any Error) {
        respond(ErrorResponses.forHandlerError(error, requestID: requestID))
    }
}

struct StreamStart {
    let status: HTTPStatus
    let headers: HTTPHeaders
    let stream: EventStream
    let start: @Sendable (EventStream) -> Void
}

/// One server-sent event (WHATWG HTML §9.2).
public struct ServerSentEvent: Sendable {
    public var id: String?
    public var event: String?
    public var data: String
    public var retryMilliseconds: Int?

    public init(id: String? = nil, event: String? = nil, data: String, retryMilliseconds: Int? = nil) {
        self.id = id
        self.event = event
        self.data = data
        self.retryMilliseconds = retryMilliseconds
    }

    /// The wire form; multi-line data becomes several `data:` lines, and newlines in
    /// `id`/`event` are dropped so a value can never start a field of its own.
    public var encoded: [UInt8] {
        var text = ""
        if let id { text += "id: " + id.filter { !$0.isNewline } + "\n" }
        if let event { text += "event: " + event.filter { !$0.isNewline } + "\n" }
        if let retryMilliseconds { text += "retry: \(retryMilliseconds)\n" }
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            text += "data: " + line.filter { $0 != "\r" } + "\n"
        }
        text += "\n"
        return Array(text.utf8)
    }
}

/// The writing end of a streamed response. Sendable: producers on any thread feed it.
public final class EventStream: Sendable {
    let destination: ReplyDestination
    private let closed = Atomic<Bool>(false)
    private let terminationHandlers = Mutex<[@Sendable () -> Void]>([])

    init(destination: ReplyDestination) {
        self.destination = destination
    }

    /// True once the client went away, the server is shutting down, or `finish` was called.
    public var isClosed: Bool { closed.load(ordering: .acquiring) }

    public func send(_ event: ServerSentEvent) { send(event.encoded) }

    public func send(_ bytes: [UInt8]) {
        guard !isClosed, !bytes.isEmpty else { return }
        switch destination {
        case .loop(let ref, let inbox): inbox.post(.streamData(ref, bytes))
        case .receiver(let receiver): receiver.streamData(bytes)
        }
    }

    /// Ends the response; the connection then serves its next request.
    public func finish() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        switch destination {
        case .loop(let ref, let inbox): inbox.post(.streamEnd(ref))
        case .receiver(let receiver): receiver.streamEnded()
        }
        runTerminationHandlers()
    }

    /// Runs `handler` once when the stream ends for any reason (producers stop there).
    public func onTermination(_ handler: @escaping @Sendable () -> Void) {
        let runNow = terminationHandlers.withLock { handlers -> Bool in
            if isClosed { return true }
            handlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// Called by the loop when the connection closes under the stream.
    func markClosed() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        runTerminationHandlers()
    }

    private func runTerminationHandlers() {
        let handlers = terminationHandlers.withLock { handlers in
            let all = handlers
            handlers.removeAll()
            return all
        }
        for handler in handlers { handler() }
    }
}
