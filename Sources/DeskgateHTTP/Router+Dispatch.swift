/// Where a deferred or streamed reply goes once the handler has returned.
enum ReplyDestination: Sendable {
    /// Through the inbox of the event loop that owns the connection.
    case loop(ConnectionRef, LoopInbox)
    /// To a caller in this process that is not a socket.
    case receiver(any ReplyReceiver)
}

/// Receives the reply to a request served with `Router.serve`: a complete response, or a
/// stream's head, chunks and end. Called from whichever thread completes the reply.
public protocol ReplyReceiver: Sendable {
    func respond(_ response: Response)
    func streamStarted(status: HTTPStatus, headers: HTTPHeaders, stream: EventStream)
    func streamData(_ bytes: [UInt8])
    func streamEnded()
}

extension Router {
    /// The reply for `request` as every caller gets it: 404, 405 with `Allow`, 400 for a path
    /// parameter that is not UTF-8, or the route's handler (a thrown error becomes its response).
    /// Sets the request's path parameters, and `route` to the matched route's `RouteTable` slot.
    func reply(to request: inout Request, context: RequestContext, route: inout Int) -> Reply {
        var matched = match(method: request.method, path: request.path)
        if case .notFound = matched, let rewrite = unmatchedPath, rewrite(&request) {
            matched = match(method: request.method, path: request.path)
        }
        switch matched {
        case .notFound:
            return .response(.error(HTTPError(.notFound, "not found")))
        case .badPath:
            return .response(.error(HTTPError(.badRequest, "malformed percent-encoding in path")))
        case .methodNotAllowed(let allowed):
            var response = Response.error(HTTPError(.methodNotAllowed, "method \(request.method) not allowed"))
            response.headers.add("Allow", allowed.joined(separator: ", "))
            return .response(response)
        case .found(let handler, let parameters):
            request.pathParameters = parameters
            route = handler.route
            do {
                return try handler.call(request, context)
            } catch {
                return .response(ErrorResponses.forHandlerError(error, requestID: request.requestID))
            }
        }
    }

    /// Serves `request` in process, the way an event loop would without the socket: the handler
    /// runs on the calling thread (which stands in for the loop thread), offloaded work on
    /// `workers`, and the reply, now or later, reaches `receiver`. The turn ends afterwards,
    /// as after each loop turn, so per-turn state (a shared read transaction) is released.
    public func serve(_ request: Request, workers: WorkerPool, receiver: any ReplyReceiver) {
        var request = request
        let context = RequestContext(requestID: request.requestID, workers: workers, receiver: receiver)
        var route = RouteTable.unmatched
        let reply = reply(to: &request, context: context, route: &route)
        switch reply.kind {
        case .response(let response):
            receiver.respond(response)
        case .deferred:
            break
        case .stream(let start):
            receiver.streamStarted(status: start.status, headers: start.headers, stream: start.stream)
            start.start(start.stream)
        }
        endTurn()
    }
}
