public import DeskgateHTTP
import Synchronization

/// Sends requests through a `Router` without sockets, as Hummingbird's router test framework
/// does: real routing, real handlers, and offloaded work on a real worker pool, so a handler
/// that defers its reply is exercised as it is in the server. `execute` waits for the reply.
///
/// The calling thread stands in for the event loop thread: handlers that use loop-confined
/// state (`Router.atEndOfTurn`) see one turn per request.
public final class InProcessClient {
    public let router: Router
    public let workers: WorkerPool
    /// What `Request.remoteAddress` says (rate limits and security events key on it).
    public var remoteAddress = "127.0.0.1"
    public var timeoutSeconds: Double

    /// Threads of a pool never end, so clients share one unless a test needs its own.
    public static let sharedWorkers = WorkerPool(threads: 2, queueLimit: 1024, name: "in-process")

    public struct Timeout: Error, CustomStringConvertible {
        public let method: String
        public let target: String
        public var description: String { "no reply to \(method) \(target) in time" }
    }

    public init(router: Router, workers: WorkerPool = InProcessClient.sharedWorkers, timeoutSeconds: Double = 10) {
        self.router = router
        self.workers = workers
        self.timeoutSeconds = timeoutSeconds
    }

    /// Serves one request and returns its response. A streamed reply is returned whole once the
    /// stream finishes (or is finished by this client at the timeout, which then throws).
    ///
    /// Async, so waiting holds no thread: handlers that answer from a Swift task
    /// (`RequestContext.run`) need the cooperative pool that a test itself runs on.
    public func execute(_ method: String, _ target: String, headers: [(String, String)] = [],
                        body: [UInt8] = []) async throws -> Response {
        var request = Request(method: method, target: target, headers: HTTPHeaders(headers.map { (name: $0.0, value: $0.1) }),
                              body: body)
        request.remoteAddress = remoteAddress
        let exchange = Exchange()
        let seconds = timeoutSeconds
        let timer = Task {
            try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            exchange.expire()
        }
        defer { timer.cancel() }
        router.serve(request, workers: workers, receiver: exchange)
        guard var response = await exchange.response() else { throw Timeout(method: method, target: target) }
        // The wire never carries a body for HEAD.
        if method == "HEAD" { response.body = [] }
        return response
    }

    public func get(_ target: String, headers: [(String, String)] = []) async throws -> Response {
        try await execute("GET", target, headers: headers)
    }

    /// A form post (`application/x-www-form-urlencoded`), fields in the order given.
    public func post(_ target: String, form: [(String, String)], headers: [(String, String)] = []) async throws -> Response {
        try await execute("POST", target, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers,
                          body: Array(FormURLEncoding.encode(form).utf8))
    }
}

/// One request's reply, completed from whichever thread answers. Like a connection, it takes
/// the first completion only; a timeout is a completion without a response.
private final class Exchange: ReplyReceiver {
    private struct State {
        var finished = false
        var response: Response?
        var waiter: CheckedContinuation<Response?, Never>?
        var stream: (status: HTTPStatus, headers: HTTPHeaders, body: [UInt8], handle: EventStream)?
    }

    private let state = Mutex(State())

    func respond(_ response: Response) { complete(response) }

    func streamStarted(status: HTTPStatus, headers: HTTPHeaders, stream: EventStream) {
        state.withLock { $0.stream = (status, headers, [], stream) }
    }

    func streamData(_ bytes: [UInt8]) {
        state.withLock { $0.stream?.body.append(contentsOf: bytes) }
    }

    func streamEnded() {
        let whole = state.withLock { state -> Response? in
            guard let stream = state.stream else { return nil }
            return Response(status: stream.status, headers: stream.headers, body: stream.body)
        }
        if let whole { complete(whole) }
    }

    /// No reply in time: a stream still open is finished, so its producers stop as they do
    /// when a client goes away.
    func expire() {
        complete(nil)
        state.withLock { $0.stream?.handle }?.finish()
    }

    private func complete(_ response: Response?) {
        let waiter = state.withLock { state -> CheckedContinuation<Response?, Never>? in
            guard !state.finished else { return nil }
            state.finished = true
            state.response = response
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: response)
    }

    func response() async -> Response? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Response?? in
                if state.finished { return .some(state.response) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

extension Response {
    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
