import DeskgateCrypto
import DeskgateHTTP
import DeskgateJSON
import DeskgateIdentity
import DeskgateModel
import Dispatch
import Synchronization

/// The 2024-11-05 HTTP+SSE transport, for clients that predate Streamable HTTP:
/// `GET /t/{tenant}/sse` opens an event stream whose first event names the POST endpoint
/// (`/t/{tenant}/messages?session_id=…`); each POST is answered 202 and its JSON-RPC response
/// travels on the stream as an `event: message`.
struct LegacySSEEndpoint {
    let service: MCPService
    let http: MCPHTTPEndpoint
    /// The loop's read connection and its per-turn transaction: the POST endpoint's.
    var turn: ReadTurn { http.turn }
    var reader: ReadHandle { http.reader }

    func install(on router: Router) {
        let service = self.service
        service.legacySessions.startHeartbeat(every: service.configuration.http.sseKeepAliveSeconds) { session in
            // A database fault keeps the stream: only a definite rejection closes it.
            (try? service.storage.withReader { db in
                try service.stillAuthenticates(session.token, userID: session.userID, tenantSlug: session.slug,
                                               host: session.host, on: db)
            }) ?? true
        }
        router.get("/t/{tenant}/sse") { request, context in self.open(request, context) }
        router.post("/t/{tenant}/messages") { request, context in
            do {
                return try self.turn.read { self.message(request, context) }
            } catch {
                return .response(.json(["error": "temporarily_unavailable"], status: .serviceUnavailable))
            }
        }
    }

    private func open(_ request: Request, _ context: RequestContext) -> Reply {
        guard service.origins.permits(request.headers["origin"]) else {
            return .response(.error(HTTPError(.forbidden, "Origin not allowed")))
        }
        let party: RequestParty
        switch (try? turn.read { http.authenticate(request) }) ?? .failure(ResponseFailure(.json(JSONValue.object(JSONObject()), status: .serviceUnavailable))) {
        case .failure(let failure): return .response(failure.response)
        case .success(let authenticated): party = authenticated
        }
        let slug = party.tenant.slug, tenantID = party.tenant.id, userID = party.sessionUserID
        let host = request.routedHost
        // On the tenant's own host the endpoint has no prefix (custom domains).
        let messages = TenantURLs.pathPrefix(slug, host: host) + "/messages"
        let sessions = service.legacySessions
        let token = BearerToken.extract(from: request.headers) ?? ""
        var headers = HTTPHeaders([("Content-Type", "text/event-stream"), ("X-Accel-Buffering", "no")])
        for field in CORS.headers(for: request.headers["origin"]) { headers.add(field.name, field.value) }
        return context.stream(headers: headers) { stream in
            let id = sessions.open(stream: stream, tenantID: tenantID, userID: userID, token: token, slug: slug, host: host)
            stream.onTermination { sessions.close(id) }
            stream.send(ServerSentEvent(event: "endpoint", data: "\(messages)?session_id=\(id)"))
        }
    }

    private func message(_ request: Request, _ context: RequestContext) -> Reply {
        guard service.origins.permits(request.headers["origin"]) else {
            return .response(.error(HTTPError(.forbidden, "Origin not allowed")))
        }
        let party: RequestParty
        switch http.authenticate(request) {
        case .failure(let failure): return .response(failure.response)
        case .success(let authenticated): party = authenticated
        }
        guard let sessionID = request.queryValue("session_id"),
              let session = service.legacySessions.session(sessionID, tenantID: party.tenant.id, userID: party.sessionUserID) else {
            if let sessionID = request.queryValue("session_id"), service.legacySessions.isAnotherProcess(sessionID) {
                // The stream lives in another deskgate-mcp process: this transport needs every
                // POST routed to the process holding its GET (docs/scale-out.md).
                return .response(.error(HTTPError(.misdirectedRequest,
                    "this session's event stream is held by another deskgate-mcp process: route /messages to the process that serves its /sse (sticky routing on session_id), or use Streamable HTTP")))
            }
            return .response(.error(HTTPError(.notFound, "unknown session: open /t/{tenant}/sse again")))
        }
        let body: JSONValue
        do {
            body = try JSONParser.parse(request.body)
        } catch {
            return .response(.error(HTTPError(.badRequest, "body is not JSON: \(error)")))
        }
        let admission = service.usage.admitCall(tenant: party.tenant, credential: party.usageCredential)
        if let refusal = admission.refusal {
            CallAudit.recordRateLimited(body, refusal: refusal, service: service, party: party)
            // The answer the client waits for goes on its stream too, so the call ends there.
            let id = JSONRPCID(of: body)
            let response = RateLimitFields.tooManyRequests(refusal, admission: admission, id: id, framing: .json, extra: HTTPHeaders())
            if let id {
                Self.send(.error(RPCError(code: RateLimitFields.rateLimitedCode, message: refusal.text,
                                          data: .object(RateLimitFields.data(refusal)), kind: .rateLimited), id: id),
                          on: session.stream)
            }
            return .response(response)
        }
        let answer = MCPProtocolCore(service: service, party: party, host: request.routedHost)
            .answer(body, fields: NoHeaderFields(), carrier: .legacyStream(id: sessionID, negotiated: session.version),
                    reader: reader)
        switch answer {
        case .offload(let kind, let work):
            let database = service.storage, stream = session.stream
            return context.offload(lane: kind.lane) {
                Self.send(try database.withReader { pooled in try pooled.snapshot { work(pooled) } }, on: stream)
                return Response(status: .accepted)
            }
        case .initialized(_, _, let handshake):
            service.legacySessions.setVersion(handshake.version, for: sessionID)
        default:
            break
        }
        Self.send(answer, on: session.stream)
        return .response(Response(status: .accepted))
    }

    /// Every answer travels on the stream as an `event: message`; the POST itself is only 202.
    private static func send(_ answer: MCPAnswer, on stream: EventStream) {
        guard let message = answer.message else { return }
        stream.send(ServerSentEvent(event: "message", data: message.text))
    }
}

/// Open HTTP+SSE streams by session id, bound to the user who opened them. A heartbeat sends
/// each stream a comment every `keepAlive` seconds (proxies drop silent streams) and checks its
/// credential again: a stream whose token was revoked or expired is closed, so a long-lived
/// connection never outlives its authorization by more than one interval.
final class LegacySessions: Sendable {
    struct Session: Sendable {
        let stream: EventStream
        let tenantID: Int64
        let userID: Int64
        /// The presented credential, in memory only, to re-check it on each heartbeat.
        let token: String
        let slug: String
        /// The tenant host the stream was opened on (its token is checked for that URL), nil for path URLs.
        let host: String?
        var version: String?
    }

    /// Names this process in the ids it issues (`tag.random.mac`, the MAC under the
    /// deployment's key), so another process can tell a stream it does not hold (421,
    /// misrouted) from an id no process of the deployment issued (404).
    static let processTag = SecureRandom.base64URL(byteCount: 6)

    private let mac: @Sendable (String) -> String

    /// `mac`: the deployment-wide MAC (`MCPSessions.mac`), the same in every process.
    init(mac: @escaping @Sendable (String) -> String) { self.mac = mac }

    /// Whether `id` was issued by another process of this deployment (it holds the stream).
    func isAnotherProcess(_ id: String) -> Bool {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] != Self.processTag else { return false }
        return ConstantTime.equals(String(parts[2]), mac(parts[0] + "." + parts[1]))
    }

    private let sessions = Mutex<[String: Session]>([:])
    private let heartbeat = Mutex<(any DispatchSourceTimer)?>(nil)

    func open(stream: EventStream, tenantID: Int64, userID: Int64, token: String, slug: String, host: String? = nil) -> String {
        let body = Self.processTag + "." + SecureRandom.base64URL(byteCount: 32)
        let id = body + "." + mac(body)
        sessions.withLock { $0[id] = Session(stream: stream, tenantID: tenantID, userID: userID, token: token, slug: slug, host: host) }
        return id
    }

    func session(_ id: String, tenantID: Int64, userID: Int64) -> Session? {
        sessions.withLock { sessions in
            guard let session = sessions[id], session.tenantID == tenantID, session.userID == userID,
                  !session.stream.isClosed else { return nil }
            return session
        }
    }

    func setVersion(_ version: String, for id: String) {
        sessions.withLock { $0[id]?.version = version }
    }

    func close(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// Starts the heartbeat once; `stillValid(session)` answers whether its credential still
    /// authenticates the same user (it runs on a background queue, never on an event loop).
    func startHeartbeat(every seconds: Double, stillValid: @escaping @Sendable (Session) -> Bool) {
        heartbeat.withLock { timer in
            guard timer == nil, seconds > 0 else { return }
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "deskgate.sse-heartbeat"))
            source.schedule(deadline: .now() + seconds, repeating: seconds)
            source.setEventHandler { [weak self] in self?.beat(stillValid) }
            source.resume()
            timer = source
        }
    }

    private static let comment = Array(": keep-alive\n\n".utf8)

    private func beat(_ stillValid: (Session) -> Bool) {
        let open = sessions.withLock { Array($0) }
        for (id, session) in open {
            if session.stream.isClosed {
                close(id)
            } else if session.token.isEmpty || stillValid(session) {
                // A token-less stream (the tenant takes tokens as tool arguments) has no
                // credential of its own to lose; each call's token is checked with the call.
                session.stream.send(Self.comment)
            } else {
                close(id)
                session.stream.finish()
            }
        }
    }
}
