import DeskgateModel
import DeskgateIdentity
import DeskgateJSON
import DeskgateSystem
import DeskgateDesk

/// The MCP protocol for one authenticated party, written once for every transport: JSON-RPC
/// decoding of a parsed body, era selection, `initialize` and its session, notifications,
/// dispatch, batches, and the outcome → response mapping. It knows no HTTP: a transport hands
/// it the body, the message's header fields and where its sessions live, and frames the
/// `MCPAnswer` it gets back.
struct MCPProtocolCore: Sendable {
    let service: MCPService
    let party: RequestParty
    /// The tenant's own host the request came in on (custom domains), nil for the path URL: an
    /// OAuth access token given as a tool argument must have been minted for that URL.
    var host: String? = nil

    /// The answer to one parsed body. `reader` is the transport's read connection, inside its
    /// read transaction; work that belongs on the worker pool comes back as `.offload`.
    func answer<Fields: MCPHeaderFields>(_ body: JSONValue, fields: Fields, carrier: SessionCarrier,
                                         reader: ReadHandle) -> MCPAnswer {
        // Only Streamable HTTP ever took batches; elsewhere an array stays a malformed message.
        if case .array(let messages) = body, carrier == .sessionHeader {
            return batch(messages, fields: fields, reader: reader)
        }
        switch JSONRPCMessage.decode(body) {
        case .failure(let failure):
            return .error(failure.error, id: failure.id)
        case .success(.response(let id)):
            return answered(id, body: body)
        case .success(.notification(let method, let params)):
            // JSON-RPC never answers a notification; only a transport with a status of its own
            // (Streamable HTTP) can refuse one whose envelope is wrong.
            if carrier == .sessionHeader, case .failure(let error) = era(for: method, params: params, fields: fields, carrier: carrier, reader: reader) {
                return .error(error, id: nil)
            }
            notify(method, params: params)
            return .nothing
        case .success(.request(let id, "initialize", let params)):
            return initialize(id: id, params: params, carrier: carrier)
        case .success(.request(let id, let method, let params)):
            let era: Era
            switch self.era(for: method, params: params, fields: fields, carrier: carrier, reader: reader) {
            case .failure(let error): return .error(error, id: id)
            case .success(let chosen): era = chosen
            }
            let dispatcher = MCPDispatcher(service: service, party: party, era: era, host: host)
            return MCPAnswer(dispatcher.handle(id: id, method: method, params: params, reader: reader), id: id)
        }
    }

    /// The answer to a body the transport refuses before the protocol runs (stdio: a refused
    /// token or tenant, a database fault): `error` with the message's id, unless the message is
    /// malformed, which is reported first.
    static func refusal(_ error: RPCError, to body: JSONValue) -> MCPAnswer {
        switch JSONRPCMessage.decode(body) {
        case .failure(let failure): return .error(failure.error, id: failure.id)
        case .success(let message): return .error(error, id: message.id)
        }
    }

    // MARK: initialize and notifications

    /// Negotiates the version (ours, newest first, when the client's is unknown) and opens the
    /// session: in `MCPSessions` for Streamable HTTP, in the transport's own state otherwise.
    private func initialize(id: JSONRPCID, params: JSONObject, carrier: SessionCarrier) -> MCPAnswer {
        guard case .string(let requested)? = params["protocolVersion"] else {
            return .error(.invalidParams("initialize needs params.protocolVersion"), id: id)
        }
        let version = ProtocolVersion.handshake.contains(requested) ? requested : ProtocolVersion.handshake[0]
        let result = JSONValue.object(JSONObject([
            ("protocolVersion", .string(version)),
            ("capabilities", ServerIdentity.capabilities),
            ("serverInfo", ServerIdentity.serverInfo),
            ("instructions", .string(ServerIdentity.instructions)),
        ]))
        var sessionID: String?
        if carrier == .sessionHeader {
            sessionID = service.sessions.open(tenantID: party.tenant.id, userID: party.sessionUserID, protocolVersion: version,
                                              elicitsURL: ClientCapabilities.elicitsURL(params["capabilities"], version: version))
        }
        return .initialized(result, id: id, handshake: Handshake(version: version, sessionID: sessionID))
    }

    /// `notifications/cancelled` marks the request cancelled for this user; `notifications/initialized`
    /// and any notification we do not act on are accepted and dropped.
    func notify(_ method: String, params: JSONObject) {
        guard method == "notifications/cancelled" else { return }
        let requestID: JSONRPCID
        switch params["requestId"] {
        case .string(let text)?: requestID = .string(text)
        case .number(let number)?: requestID = .number(number)
        default: return
        }
        service.cancellations.cancel(Cancellations.key(userID: party.sessionUserID, requestID: requestID))
    }

    /// A client's response to one of our requests. The only requests we send are approvals'
    /// `elicitation/create` (`ApprovalWait`): a decline or cancel there is the person's
    /// decision, recorded so the waiting call (at whichever process holds it) ends at once.
    private func answered(_ id: JSONRPCID, body: JSONValue) -> MCPAnswer {
        guard let approvalID = ApprovalWait.approvalID(answering: id),
              body["error"] != nil || body["result"]?["action"]?.stringValue != "accept" else { return .nothing }
        let approvals = service.approvals, tenant = party.tenant, userID = party.sessionUserID
        return .offload(.write) { _ in
            // Not this user's, or already decided: nothing to record.
            _ = try? approvals.decide(approvalID, approve: false, userID: userID, tenant: tenant,
                                      now: WallClock.milliseconds(), via: .mcp)
            return .nothing
        }
    }

    // MARK: Batches

    /// JSON-RPC batches exist only in 2025-03-26 sessions; later revisions removed them. A batch
    /// runs off the loop, its calls one after the other.
    private func batch<Fields: MCPHeaderFields>(_ messages: [JSONValue], fields: Fields, reader: ReadHandle) -> MCPAnswer {
        guard case .success(.handshake(let version, let sessionID, _)) = headerSessionEra(fields: fields, reader: reader),
              ProtocolVersion.allowsBatches(version) else {
            return .error(.invalidRequest("JSON-RPC batches are not supported in this protocol version"), id: nil)
        }
        guard !messages.isEmpty else { return .error(.invalidRequest("empty batch"), id: nil) }
        let dispatcher = MCPDispatcher(service: service, party: party, era: .handshake(version: version, sessionID: sessionID),
                                       host: host)
        let core = self
        return .offload(batchKind(messages)) { reader in core.runBatch(messages, dispatcher: dispatcher, reader: reader) }
    }

    /// A batch that calls a write tool runs as a write (it waits for its commit).
    private func batchKind(_ messages: [JSONValue]) -> WorkKind {
        let writes = messages.contains { message in
            guard case .object(let object) = message, case .string("tools/call")? = object["method"],
                  case .object(let params)? = object["params"], case .string(let name)? = params["name"],
                  let tool = service.tools[name] else { return false }
            return !tool.readOnly
        }
        return writes ? .write : .read
    }

    func runBatch(_ messages: [JSONValue], dispatcher: MCPDispatcher, reader: ReadHandle) -> MCPAnswer {
        var responses: [JSONValue] = []
        for message in messages {
            switch JSONRPCMessage.decode(message) {
            case .failure(let failure):
                responses.append(JSONRPCResponse.error(failure.error, id: failure.id))
            case .success(.notification(let method, let params)):
                notify(method, params: params)
            case .success(.response):
                break
            case .success(.request(let id, let method, let params)):
                let outcome = dispatcher.handle(id: id, method: method, params: params, reader: reader)
                if let response = MCPAnswer(outcome, id: id).finished(on: reader).message { responses.append(response) }
            }
        }
        return responses.isEmpty ? .nothing : .batch(responses)
    }
}
