import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateJSON
import DeskgateModel

/// The Streamable HTTP endpoint `/t/{tenant}/mcp` on one event loop.
///
/// Order of checks (the statuses MCP 2025-11-25 Streamable HTTP prescribes): CORS preflight → Origin → tenant and token (401/403) →
/// protocol version → session → JSON-RPC. Auth first means every client sees the 401 at once.
struct MCPHTTPEndpoint {
    let service: MCPService
    /// The loop's own read connection, in one read transaction per loop turn: point reads
    /// (tenant, token, ticket) run inline on it.
    let turn: ReadTurn
    var reader: ReadHandle { turn.handle }
    /// This loop's callers for cached principals (loop-confined, like `reader`).
    let callers = CallerMemo()

    func install(on router: Router) {
        let path = "/t/{tenant}/mcp"
        router.add(["POST"], path) { request, context in
            // The turn's read transaction: a consistent view, and one WAL lock for the turn.
            do {
                return try self.turn.read { self.post(request, context) }
            } catch {
                return .response(Self.unavailable)
            }
        }
        router.add(["GET"], path) { request, _ in
            .response((try? self.turn.read { self.get(request) }) ?? Self.unavailable)
        }
        router.add(["DELETE"], path) { request, context in
            (try? self.turn.read { self.delete(request, context) }) ?? .response(Self.unavailable)
        }
        router.add(["OPTIONS"], path) { request, _ in .response(self.preflight(request)) }
        ProtectedResourceMetadata(service: service, turn: turn).install(on: router)
        LegacySSEEndpoint(service: service, http: self).install(on: router)
        router.atEndOfTurn { [turn] in turn.endTurn() }
    }

    /// The database could not be read (it restarted, or the network dropped): the client may
    /// send the same request again; the loop reconnects on its next turn.
    static var unavailable: Response { .temporarilyUnavailable() }

    // MARK: POST

    private func post(_ request: Request, _ context: RequestContext) -> Reply {
        let origin = request.headers["origin"]
        guard service.origins.permits(origin) else { return .response(forbiddenOrigin()) }
        let cors = CORS.headers(for: origin)
        // Both checks read the header bytes in place (no String per value).
        guard request.headers.withValueBytes("content-type", { $0.map { ASCII.hasPrefix($0, "application/json") } ?? false }) else {
            return .response(rpcErrorResponse(.invalidRequest("Content-Type must be application/json"), id: nil,
                                              status: .unsupportedMediaType, framing: .json, extra: cors))
        }
        guard let framing = request.headers.withValueBytes("accept", ResponseFraming.negotiate(accept:)) else {
            return .response(rpcErrorResponse(.invalidRequest("Accept must allow application/json or text/event-stream"),
                                              id: nil, status: .notAcceptable, framing: .json, extra: cors))
        }
        let party: RequestParty
        switch authenticate(request) {
        case .failure(let response): return .response(response.adding(cors))
        case .success(let authenticated): party = authenticated
        }
        let body: JSONValue
        do {
            body = try JSONParser.parse(request.body, knownStrings: service.requestStrings)
        } catch {
            return .response(rpcErrorResponse(.parse(error.description), id: nil, framing: framing, extra: cors))
        }
        // The request rate (issue 19): admitted in memory, refused with a 429 before anything runs.
        let admission = service.usage.admitCall(tenant: party.tenant, credential: party.usageCredential)
        if let refusal = admission.refusal {
            CallAudit.recordRateLimited(body, refusal: refusal, service: service, party: party)
            return .response(RateLimitFields.tooManyRequests(refusal, admission: admission, id: JSONRPCID(of: body),
                                                             framing: framing, extra: cors))
        }
        var headers = cors
        RateLimitFields.add(admission, to: &headers)
        let answer = MCPProtocolCore(service: service, party: party, host: request.routedHost)
            .answer(body, fields: request.headers, carrier: .sessionHeader, reader: reader)
        return MCPExchange(service: service, party: party, framing: framing, cors: headers, host: request.routedHost)
            .reply(answer, context: context)
    }

    // MARK: GET, DELETE, OPTIONS

    /// No server-initiated messages are sent yet, so no GET stream is offered (the spec's 405;
    /// 2026-07-28 has no GET stream at all).
    private func get(_ request: Request) -> Response {
        guard service.origins.permits(request.headers["origin"]) else { return forbiddenOrigin() }
        if case .failure(let failure) = authenticate(request) { return failure.response }
        var response = Response.error(HTTPError(.methodNotAllowed, "this server does not open a GET event stream"))
        response.headers.add("Allow", "POST, DELETE, OPTIONS")
        return response
    }

    /// Ends a handshake session. The end is a write (every process must learn of it), so it
    /// runs on a worker; checking the token and the header stays on the loop.
    private func delete(_ request: Request, _ context: RequestContext) -> Reply {
        guard service.origins.permits(request.headers["origin"]) else { return .response(forbiddenOrigin()) }
        let party: RequestParty
        switch authenticate(request) {
        case .failure(let failure): return .response(failure.response)
        case .success(let authenticated): party = authenticated
        }
        if let version = request.headers["mcp-protocol-version"], ProtocolVersion.modern.contains(version) {
            // 2026-07-28 has no sessions: DELETE is not part of it.
            var response = Response.error(HTTPError(.methodNotAllowed, "2026-07-28 has no sessions to end"))
            response.headers.add("Allow", "POST, OPTIONS")
            return .response(response)
        }
        guard let sessionID = request.headers["mcp-session-id"] else {
            return .response(rpcErrorResponse(.invalidRequest("DELETE needs the Mcp-Session-Id header"), id: nil, framing: .json))
        }
        let sessions = service.sessions, tenantID = party.tenant.id, userID = party.sessionUserID
        return context.offload(lane: .reserved) {
            guard try sessions.end(sessionID, tenantID: tenantID, userID: userID) else {
                return rpcErrorResponse(.invalidRequest("unknown session", kind: .unknownSession), id: nil, framing: .json)
            }
            return Response(status: .noContent)
        }
    }

    private func preflight(_ request: Request) -> Response {
        let origin = request.headers["origin"]
        guard service.origins.permits(origin) else { return forbiddenOrigin() }
        var headers = CORS.headers(for: origin)
        headers.add("Access-Control-Allow-Methods", "POST, GET, DELETE, OPTIONS")
        headers.add("Access-Control-Allow-Headers", CORS.allowedRequestHeaders)
        headers.add("Access-Control-Max-Age", "600")
        return Response(status: .noContent, headers: headers)
    }

    // MARK: Authentication

    /// Resolves the tenant and the presented token. Failures are complete HTTP answers.
    /// With no token, a tenant that takes the token as a tool argument gets a token-less
    /// party (each tools/call then names its token); every other tenant gets the 401.
    func authenticate(_ request: Request) -> Result<RequestParty, ResponseFailure> {
        let slug = request.parameter("tenant")
        // The tenant's own host name, when the request came in on one (custom domains).
        let host = request.routedHost
        // Built only on failure: the URL strings cost more than a cached token check.
        var challenges: Challenges {
            Challenges(resourceMetadataURL: service.urls.resourceMetadata(slug, host: host), allScopes: Scopes.all.text)
        }
        guard let token = BearerToken.extract(from: request.headers) else {
            // Without a token the tenant decides first: a challenge for a help desk that does
            // not exist, or refuses every call, would only start an OAuth flow that cannot end well.
            let decision = try? TenantGate().decide(slug, on: reader)
            if let decision, let refusal = TenantRefusal(decision, slug: slug) {
                return .failure(ResponseFailure(refusal.httpResponse))
            }
            if case .open(let tenant)? = decision, service.exposure(for: tenant).acceptsTokenArgument {
                return .success(.tenantOnly(tenant))
            }
            return .failure(ResponseFailure(challenges.unauthorized(presented: false, description: "")))
        }
        // The counter as of this turn's snapshot (nil on a fault: the authenticator then reads
        // it itself and reports the fault).
        switch service.caller(for: token, tenantSlug: slug, host: host, on: reader, memo: callers,
                              generation: try? turn.revocationGeneration()) {
        case .success(let caller):
            return .success(.caller(caller))
        case .failure(.invalid(let description)):
            // Only a refused token pays for the tenant lookup: one that verified proved its tenant
            // open (the principal is cached under the revocation counter a suspension bumps).
            if let decision = try? TenantGate().decide(slug, on: reader), let refusal = TenantRefusal(decision, slug: slug) {
                return .failure(ResponseFailure(refusal.httpResponse))
            }
            return .failure(ResponseFailure(challenges.unauthorized(presented: true, description: description)))
        case .failure(.tenantSuspended):
            return .failure(ResponseFailure(TenantRefusal.suspended(slug: slug).httpResponse))
        case .failure(.unavailable):
            // A database fault is ours, not the client's: do not tell it its token is bad.
            return .failure(ResponseFailure(.json(["error": "temporarily_unavailable"], status: .serviceUnavailable,
                                                  headers: HTTPHeaders([("Retry-After", "1")]))))
        }
    }

    private func forbiddenOrigin() -> Response {
        rpcErrorResponse(.invalidRequest("Origin not allowed"), id: nil, status: .forbidden, framing: .json)
    }
}

/// A finished HTTP answer standing in for an error (so `Result` can carry it).
struct ResponseFailure: Error {
    let response: Response
    init(_ response: Response) { self.response = response }

    func adding(_ headers: HTTPHeaders) -> Response {
        var response = self.response
        for field in headers { response.headers.add(field.name, field.value) }
        return response
    }
}

/// How a JSON-RPC response travels: a JSON body, or a one-event SSE body for clients that
/// accept only `text/event-stream` (some clients and proxies send only that in Accept).
enum ResponseFraming {
    case json
    case eventStream

    static func negotiate(accept: String?) -> ResponseFraming? {
        guard var accept else { return .json }
        return accept.withUTF8 { negotiate(accept: $0) }
    }

    static func negotiate(accept: UnsafeBufferPointer<UInt8>?) -> ResponseFraming? {
        guard let accept, !accept.isEmpty else { return .json }
        // Byte scans: Foundation's lowercased() and contains() were ~8k instructions per request.
        if ASCII.contains(accept, "application/json") || ASCII.contains(accept, "*/*")
            || ASCII.contains(accept, "application/*") { return .json }
        if ASCII.contains(accept, "text/event-stream") { return .eventStream }
        return nil
    }
}

/// ASCII case-insensitive searches over header values (media types are ASCII).
enum ASCII {
    /// Whether `text` starts with `prefix`, a lowercase ASCII literal, ignoring ASCII case.
    static func hasPrefix(_ text: String, _ prefix: StaticString) -> Bool {
        var text = text
        return text.withUTF8 { hasPrefix($0, prefix) }
    }

    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { p in bytes.count >= p.count && matches(bytes, at: 0, p) }
    }

    /// Whether `text` contains `needle`, a lowercase ASCII literal, ignoring ASCII case.
    static func contains(_ text: String, _ needle: StaticString) -> Bool {
        var text = text
        return text.withUTF8 { contains($0, needle) }
    }

    static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { n in
            guard bytes.count >= n.count else { return false }
            for start in 0...(bytes.count - n.count) where matches(bytes, at: start, n) { return true }
            return false
        }
    }

    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<needle.count {
            let b = bytes[start + i]
            if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != needle[i] { return false }
        }
        return true
    }
}

/// Encodes a JSON-RPC payload in the negotiated framing.
func rpcResponse(_ payload: JSONValue, status: HTTPStatus = .ok, framing: ResponseFraming,
                 extra: HTTPHeaders = HTTPHeaders()) -> Response {
    var headers = extra
    switch framing {
    case .json:
        headers.add("Content-Type", "application/json")
        return Response(status: status, headers: headers, body: payload.encoded())
    case .eventStream:
        headers.add("Content-Type", "text/event-stream")
        headers.add("Cache-Control", "no-cache")
        headers.add("X-Accel-Buffering", "no")
        var body = Array("event: message\ndata: ".utf8)
        payload.encode(into: &body)
        body.append(contentsOf: Array("\n\n".utf8))
        return Response(status: status, headers: headers, body: body)
    }
}

/// A JSON-RPC success response around an already encoded result: the same bytes as
/// `rpcResponse(JSONRPCResponse.result(…))`, without a tree.
func rpcResultResponse(_ result: EncodedJSON, id: JSONRPCID, framing: ResponseFraming,
                       extra: HTTPHeaders = HTTPHeaders()) -> Response {
    var headers = extra
    var body: [UInt8] = []
    body.reserveCapacity(result.bytes.count + 96)
    switch framing {
    case .json:
        headers.add("Content-Type", "application/json")
    case .eventStream:
        headers.add("Content-Type", "text/event-stream")
        headers.add("Cache-Control", "no-cache")
        headers.add("X-Accel-Buffering", "no")
        body.append(contentsOf: "event: message\ndata: ".utf8)
    }
    // The envelope's fixed bytes go straight into the body, a string id quoted in place: a
    // second buffer per response for ~30 bytes was most of this step.
    body.append(contentsOf: #"{"jsonrpc":"2.0","id":"#.utf8)
    switch id {
    case .string(let text):
        JSONQuoted.append(text, to: &body)
    case .number(let number):
        var text = number.text
        text.withUTF8 { body.append(contentsOf: $0) }
    }
    body.append(contentsOf: #","result":"#.utf8)
    body.append(contentsOf: result.bytes)
    body.append(UInt8(ascii: "}"))
    if case .eventStream = framing { body.append(contentsOf: "\n\n".utf8) }
    return Response(status: .ok, headers: headers, body: body)
}

/// A JSON-RPC error, with the status its kind takes unless the transport names one (a refused
/// Origin, Content-Type or Accept: HTTP's own failures, not the protocol's).
func rpcErrorResponse(_ error: RPCError, id: JSONRPCID?, status: HTTPStatus? = nil, framing: ResponseFraming,
                      extra: HTTPHeaders = HTTPHeaders()) -> Response {
    rpcResponse(JSONRPCResponse.error(error, id: id), status: status ?? StreamableHTTPStatus.of(error.kind),
                framing: framing, extra: extra)
}
