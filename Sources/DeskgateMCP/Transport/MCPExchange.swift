import DeskgateHTTP
import DeskgateJSON
import DeskgateStore
import DeskgateModel

/// One POST to the MCP endpoint after authentication: era, version and session rules, then
/// dispatch, then the HTTP answer (JSON or a one-event SSE body).
struct MCPExchange {
    let service: MCPService
    let reader: SQLiteConnection
    let request: Request
    let party: RequestParty
    let framing: ResponseFraming
    let cors: HTTPHeaders

    func run(_ body: JSONValue, context: RequestContext) -> Reply {
        if case .array(let messages) = body { return batch(messages, context: context) }
        switch JSONRPCMessage.decode(body) {
        case .failure(let failure):
            return .response(rpcErrorResponse(failure.error, id: failure.id, framing: framing, extra: cors))
        case .success(let message):
            return single(message, context: context)
        }
    }

    // MARK: One message

    private func single(_ message: JSONRPCMessage, context: RequestContext) -> Reply {
        switch message {
        case .response:
            return .response(Response(status: .accepted, headers: cors))
        case .notification(let method, let params):
            switch era(for: method, params: params) {
            case .failure(let error): return .response(rpcErrorResponse(error, id: nil, framing: framing, extra: cors))
            case .success(let era):
                _ = MCPDispatcher(service: service, party: party, era: era).handleNotification(method: method, params: params)
                return .response(Response(status: .accepted, headers: cors))
            }
        case .request(let id, let method, let params):
            if method == "initialize" { return .response(initialize(id: id, params: params)) }
            let era: Era
            switch self.era(for: method, params: params) {
            case .failure(let error): return .response(rpcErrorResponse(error, id: id, framing: framing, extra: cors))
            case .success(let chosen): era = chosen
            }
            let dispatcher = MCPDispatcher(service: service, party: party, era: era)
            let outcome = dispatcher.handle(id: id, method: method, params: params, reader: reader)
            return reply(outcome, id: id, era: era, context: context)
        }
    }

    private func reply(_ outcome: DispatchOutcome, id: RequestID, era: Era, context: RequestContext) -> Reply {
        switch outcome {
        case .onWorker(let work):
            let database = service.database
            let framing = self.framing, cors = self.cors, service = self.service, slug = party.tenant.slug
            return context.offload {
                let finished = try database.withReader { reader in try reader.snapshot { work(reader) } }
                return Self.httpResponse(finished, id: id, era: era, framing: framing, cors: cors,
                                         metadataURL: { service.urls.resourceMetadata(slug) })
            }
        default:
            let service = self.service, slug = party.tenant.slug
            return .response(Self.httpResponse(outcome, id: id, era: era, framing: framing, cors: cors,
                                               metadataURL: { service.urls.resourceMetadata(slug) }))
        }
    }

    static func httpResponse(_ outcome: DispatchOutcome, id: RequestID, era: Era, framing: ResponseFraming,
                             cors: HTTPHeaders, metadataURL: () -> String) -> Response {
        switch outcome {
        case .result(let result):
            return rpcResponse(JSONRPCResponse.result(result, id: id), framing: framing, extra: cors)
        case .encodedResult(let encoded):
            return rpcResultResponse(encoded, id: id, framing: framing, extra: cors)
        case .error(let error):
            return rpcErrorResponse(error, id: id, framing: framing, extra: cors)
        case .accepted:
            return Response(status: .accepted, headers: cors)
        case .scopeRequired(let scope, let description):
            let challenges = Challenges(resourceMetadataURL: metadataURL(), allScopes: MCPService.allScopeList)
            let body = JSONRPCResponse.error(RPCError(code: -32600, message: "Insufficient scope: \(description)"), id: id)
            var response = challenges.insufficientScope(needed: scope, description: description, rpcBody: body.encoded())
            for field in cors { response.headers.add(field.name, field.value) }
            return response
        case .onWorker:
            return rpcErrorResponse(.internalError("nested worker dispatch"), id: id, framing: framing, extra: cors)
        }
    }

    // MARK: Eras

    /// Modern when the request carries the 2026-07-28 `_meta` envelope, names a modern version in
    /// `MCP-Protocol-Version`, or is `server/discover`; otherwise the handshake era, which needs
    /// the session `initialize` opened.
    private func era(for method: String, params: JSONObject) -> Result<Era, RPCError> {
        let meta = params["_meta"]?.objectValue
        // Read once: each lookup builds the value again.
        let headerVersion = request.headers["mcp-protocol-version"]
        let modernHeader = headerVersion.map { ProtocolVersion.modern.contains($0) } ?? false
        if method == "server/discover" || meta?[ProtocolVersion.protocolVersionKey] != nil || modernHeader {
            return modernEra(method: method, params: params, meta: meta, headerVersion: headerVersion)
        }
        return handshakeEra()
    }

    private func modernEra(method: String, params: JSONObject, meta: JSONObject?,
                           headerVersion: String?) -> Result<Era, RPCError> {
        guard let meta, meta[ProtocolVersion.protocolVersionKey] != nil, meta[ProtocolVersion.clientCapabilitiesKey] != nil else {
            return .failure(.invalidParams("params._meta must carry '\(ProtocolVersion.protocolVersionKey)' and "
                                           + "'\(ProtocolVersion.clientCapabilitiesKey)'", httpStatus: 400))
        }
        guard case .string(let version)? = meta[ProtocolVersion.protocolVersionKey] else {
            return .failure(.invalidParams("the protocol version in _meta must be a string", httpStatus: 400))
        }
        guard headerVersion == version else {
            return .failure(.headerMismatch("MCP-Protocol-Version header does not match the request's _meta protocol version"))
        }
        guard request.headers.value("mcp-method", equals: method) else {
            return .failure(.headerMismatch("Mcp-Method header does not match the request body's method"))
        }
        if method == "tools/call" || method == "prompts/get" || method == "resources/read" {
            let key = method == "resources/read" ? "uri" : "name"
            // The plain spelling compared on bytes first; the base64 form is decoded.
            if case .string(let name)? = params[key], !request.headers.value("mcp-name", equals: name),
               NameHeader.decode(request.headers["mcp-name"]) != name {
                return .failure(.headerMismatch("Mcp-Name header does not match the request body's '\(key)' parameter"))
            }
        }
        guard ProtocolVersion.modern.contains(version) else { return .failure(.unsupportedVersion(version)) }
        return .success(.modern(version: version))
    }

    private func handshakeEra() -> Result<Era, RPCError> {
        if let header = request.headers["mcp-protocol-version"], !ProtocolVersion.handshake.contains(header) {
            return .failure(RPCError(code: -32600, message: "Unsupported MCP-Protocol-Version: \(header)",
                                     data: .object(JSONObject([("supported", .array(ProtocolVersion.all.map { .string($0) }))])),
                                     httpStatus: 400))
        }
        guard let sessionID = request.headers["mcp-session-id"] else {
            return .failure(.invalidRequest("missing Mcp-Session-Id: send initialize first (or use the 2026-07-28 _meta envelope)"))
        }
        guard let session = service.sessions.resume(sessionID, tenantID: party.tenant.id, userID: party.sessionUserID) else {
            return .failure(RPCError(code: -32600, message: "Session not found: initialize again", httpStatus: 404))
        }
        return .success(.handshake(version: request.headers["mcp-protocol-version"] ?? session.protocolVersion,
                                   sessionID: sessionID))
    }

    // MARK: initialize and batches

    private func initialize(id: RequestID, params: JSONObject) -> Response {
        guard case .string(let requested)? = params["protocolVersion"] else {
            return rpcErrorResponse(.invalidParams("initialize needs params.protocolVersion"), id: id, framing: framing, extra: cors)
        }
        let dispatcher = MCPDispatcher(service: service, party: party, era: .handshake(version: requested, sessionID: nil))
        let (version, result) = dispatcher.initializeResult(requested: requested)
        let sessionID = service.sessions.open(tenantID: party.tenant.id, userID: party.sessionUserID, protocolVersion: version)
        var headers = cors
        headers.add("Mcp-Session-Id", sessionID)
        return rpcResponse(JSONRPCResponse.result(result, id: id), framing: framing, extra: headers)
    }

    /// JSON-RPC batches exist only in 2025-03-26 sessions; later revisions removed them.
    /// A batch runs on the worker pool, its calls one after the other.
    private func batch(_ messages: [JSONValue], context: RequestContext) -> Reply {
        guard case .success(.handshake(let version, _)) = handshakeEra(), ProtocolVersion.allowsBatches(version) else {
            return .response(rpcErrorResponse(.invalidRequest("JSON-RPC batches are not supported in this protocol version"),
                                              id: nil, framing: framing, extra: cors))
        }
        guard !messages.isEmpty else {
            return .response(rpcErrorResponse(.invalidRequest("empty batch"), id: nil, framing: framing, extra: cors))
        }
        let era = Era.handshake(version: version, sessionID: request.headers["mcp-session-id"])
        let dispatcher = MCPDispatcher(service: service, party: party, era: era)
        let framing = self.framing, cors = self.cors, database = service.database
        return context.offload {
            try database.withReader { reader in
                try reader.snapshot {
                    Self.runBatch(messages, dispatcher: dispatcher, reader: reader, framing: framing, cors: cors)
                }
            }
        }
    }

    private static func runBatch(_ messages: [JSONValue], dispatcher: MCPDispatcher, reader: SQLiteConnection,
                                 framing: ResponseFraming, cors: HTTPHeaders) -> Response {
        var responses: [JSONValue] = []
        for message in messages {
            switch JSONRPCMessage.decode(message) {
            case .failure(let failure):
                responses.append(JSONRPCResponse.error(failure.error, id: failure.id))
            case .success(.notification(let method, let params)):
                _ = dispatcher.handleNotification(method: method, params: params)
            case .success(.response):
                break
            case .success(.request(let id, let method, let params)):
                var outcome = dispatcher.handle(id: id, method: method, params: params, reader: reader)
                if case .onWorker(let work) = outcome { outcome = work(reader) }
                switch outcome {
                case .result(let result): responses.append(JSONRPCResponse.result(result, id: id))
                case .encodedResult(let encoded): responses.append(JSONRPCResponse.result(encoded.value, id: id))
                case .error(let error): responses.append(JSONRPCResponse.error(error, id: id))
                case .scopeRequired(let scope, _):
                    responses.append(JSONRPCResponse.error(RPCError(code: -32600, message: "insufficient scope: \(scope)"), id: id))
                default: break
                }
            }
        }
        if responses.isEmpty { return Response(status: .accepted, headers: cors) }
        return rpcResponse(.array(responses), framing: framing, extra: cors)
    }
}

/// `Mcp-Name` values that would not survive as a header are sent as `=?base64?…?=`.
enum NameHeader {
    static func decode(_ value: String?) -> String? {
        guard let value else { return nil }
        guard value.hasPrefix("=?base64?"), value.hasSuffix("?=") else { return value }
        let payload = value.dropFirst("=?base64?".count).dropLast(2)
        guard let bytes = StandardBase64.decode(String(payload)) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
