import DeskgateDesk
import DeskgateJSON
import DeskgateIdentity
import DeskgateModel
import DeskgateSystem

/// What handling one JSON-RPC request leads to, before the protocol core makes it an `MCPAnswer`.
enum DispatchOutcome {
    case result(JSONValue)
    /// A result already encoded (hot tools write their answer straight to bytes).
    case encodedResult(EncodedJSON)
    case error(RPCError)
    /// Nothing to answer.
    case accepted
    /// The token lacks the scope of the called tool: a step-up, nothing runs.
    case scopeRequired(scope: String, description: String)
    /// Work for the worker pool with a pooled read connection; a write runs on the pool's
    /// reserved threads, which slow reads never occupy.
    case onWorker(WorkKind, @Sendable (ReadHandle) -> DispatchOutcome)
    /// A write on the worker pool that may end up waiting for a person's approval, asked with a
    /// server-to-client `elicitation/create` (handshake sessions that declared URL elicitation):
    /// the transport answers it with an event stream, so the request can be sent first.
    case onWorkerMayAsk(@Sendable (ReadHandle) -> DispatchOutcome)
    /// The write waits for the person (`ApprovalWait`): only ever the result of `onWorkerMayAsk`.
    case awaitingApproval(ApprovalWait)
}

/// The bytes of one JSON value, encoded by a writer that produces what `JSONValue.encoded()`
/// would. Transports splice them into the response; the rare paths that assemble `JSONValue`
/// responses (batches, stdio, HTTP+SSE) decode them back with `value`.
struct EncodedJSON: Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var value: JSONValue {
        (try? JSONParser.parse(bytes)) ?? .null
    }
}

/// Maps JSON-RPC methods to MCP behaviour for one request. Knows nothing of HTTP.
struct MCPDispatcher: Sendable {
    let service: MCPService
    let party: RequestParty
    let era: Era
    /// The tenant's own host the request came in on (custom domains), nil for the path URL.
    var host: String? = nil

    func handle(id: JSONRPCID, method: String, params: JSONObject, reader: ReadHandle) -> DispatchOutcome {
        switch method {
        case "initialize":
            // The protocol core answers initialize; only one inside a batch gets here.
            return .error(.invalidRequest("initialize is answered by the transport", kind: .answered))
        case "ping" where !era.isModern:
            return .result(.object(JSONObject()))
        case "server/discover":
            return .result(discover())
        case "tools/list":
            return toolsList(params)
        case "tools/call":
            return toolsCall(id: id, params: params, reader: reader)
        default:
            return .error(.methodNotFound(method, kind: era.isModern ? .unroutable : .answered))
        }
    }

    // MARK: Methods

    private func discover() -> JSONValue {
        .object(JSONObject([
            ("supportedVersions", .array(ProtocolVersion.all.map { .string($0) })),
            ("capabilities", ServerIdentity.capabilities),
            ("instructions", .string(ServerIdentity.instructions)),
            ("resultType", "complete"),
            ("ttlMs", .number(JSONNumber(3_600_000))),
            ("cacheScope", "public"),
            ("_meta", .object(JSONObject([(ProtocolVersion.serverInfoKey, ServerIdentity.serverInfo)]))),
        ]))
    }

    private func toolsList(_ params: JSONObject) -> DispatchOutcome {
        let exposure = service.exposure(for: party.tenant)
        // A token-less party sees every tool its tenant exposes: the scopes are those of the
        // token each call will bring.
        let visible = service.tools.visible(to: party.verifiedCaller?.scopes ?? Scopes.all, exposure: exposure)
        let listings = exposure.acceptsTokenArgument ? service.tools.listingsWithTokenArgument : service.tools.listings
        var start = 0
        if let cursor = params["cursor"], !cursor.isNull {
            guard case .string(let text) = cursor, let decoded = ListCursor.decode(text), decoded <= visible.count else {
                return .error(.invalidParams("cursor is not one this server issued"))
            }
            start = decoded
        }
        let end = min(visible.count, start + service.toolsPageSize)
        var result = JSONObject([("tools", .array(visible[start..<end].map { listings[$0] }))])
        if end < visible.count { result["nextCursor"] = .string(ListCursor.encode(end)) }
        if era.isModern {
            result["resultType"] = "complete"
            // The list depends on the token's scopes: private, and cacheable for a while.
            result["ttlMs"] = .number(JSONNumber(300_000))
            result["cacheScope"] = "private"
        }
        return .result(.object(result))
    }

    /// Runs the call and counts its outcome (`MCPMetrics`): now, or when its work on the pool ends.
    private func toolsCall(id: JSONRPCID, params: JSONObject, reader: ReadHandle) -> DispatchOutcome {
        let metrics = service.metrics
        var name: String?
        if case .string(let text)? = params["name"] { name = text }
        let toolIndex = name.flatMap { service.tools.index(of: $0) } ?? metrics.unknownTool
        let outcome = toolsCall(id: id, name: name, toolIndex: toolIndex, params: params, reader: reader)
        let modern = era.isModern
        switch outcome {
        case .onWorker(let kind, let work):
            return .onWorker(kind) { pooled in
                let outcome = work(pooled)
                metrics.countCall(tool: toolIndex, modernEra: modern, outcome: Self.callOutcome(outcome))
                return outcome
            }
        case .onWorkerMayAsk(let work):
            return .onWorkerMayAsk { pooled in
                let outcome = work(pooled)
                metrics.countCall(tool: toolIndex, modernEra: modern, outcome: Self.callOutcome(outcome))
                return outcome
            }
        default:
            metrics.countCall(tool: toolIndex, modernEra: modern, outcome: Self.callOutcome(outcome))
            return outcome
        }
    }

    static func callOutcome(_ outcome: DispatchOutcome) -> MCPMetrics.CallOutcome {
        switch outcome {
        case .result(let value): value["isError"]?.boolValue == true ? .toolError : .ok
        case .encodedResult, .accepted, .onWorker, .onWorkerMayAsk: .ok
        case .error: .rpcError
        case .scopeRequired: .scopeRequired
        case .awaitingApproval: .awaitingApproval
        }
    }

    /// `name` is `params.name` when a string, `toolIndex` its position in the registry (or past its
    /// end). Every call that names a tool is recorded in the audit log, whatever its outcome.
    private func toolsCall(id: JSONRPCID, name: String?, toolIndex: Int, params: JSONObject, reader: ReadHandle) -> DispatchOutcome {
        guard let name else {
            return .error(.invalidParams("tools/call needs params.name (a tool name from tools/list)"))
        }
        let audit = CallAudit(service: service, tenant: party.tenant, tool: name,
                              arguments: params["arguments"]?.objectValue ?? JSONObject(), caller: party.verifiedCaller)
        return audit.finish(toolsCall(id: id, name: name, toolIndex: toolIndex, params: params, reader: reader, audit: audit))
    }

    private func toolsCall(id: JSONRPCID, name: String, toolIndex: Int, params: JSONObject, reader: ReadHandle,
                           audit: CallAudit) -> DispatchOutcome {
        let exposure = service.exposure(for: party.tenant)
        guard toolIndex < service.tools.tools.count, case let tool = service.tools.tools[toolIndex], exposure.includes(tool.family) else {
            audit.refuse("unknown_tool")
            return .error(.invalidParams("Unknown tool: \(name)"))
        }
        guard !exposure.denies(tool) else {
            audit.refuse("tool_turned_off")
            return .error(.invalidParams("\(name) is turned off for this tenant (a tenant admin can turn it back on)"))
        }
        guard exposure.exposes(tool) else {
            audit.refuse("read_only_tenant")
            return .error(.invalidParams("\(name) is a write tool and this tenant's MCP access is read-only (a tenant admin can change it)"))
        }
        var arguments: JSONObject
        switch params["arguments"] {
        case nil, .null?: arguments = JSONObject()
        case .object(let object)?: arguments = object
        default: return .error(.invalidParams("params.arguments must be an object"))
        }
        let caller: Caller
        switch callerForCall(&arguments, exposure: exposure, reader: reader) {
        case .success(let resolved): caller = resolved
        case .failure(let refusal):
            audit.arguments(arguments)
            if let reason = refusal.reason { audit.refuse(reason) }
            return refusal.outcome
        }
        audit.identify(caller)
        audit.arguments(arguments)
        guard caller.holds(tool.scope) else {
            audit.refuse("insufficient_scope")
            if party.verifiedCaller == nil {
                // The token came as an argument: no HTTP challenge can reach the client, so
                // the model is told what the token lacks.
                return ToolRun.refusal("The access_token lacks the scope \(tool.scope.text), which \(name) needs: "
                                       + "create a token with that scope.", era: era)
            }
            return .scopeRequired(scope: tool.scope.text, description: "the tool \(name) needs the scope \(tool.scope.text)")
        }
        let run = ToolRun(service: service, caller: caller, era: era, tool: tool, arguments: arguments, dataLimit: exposure.dataLimit,
                          audit: audit)
        if !tool.readOnly {
            // Its audit row is written before the answer, on the worker (refusals above wrote
            // nothing and are batched: no database write on the loop).
            audit.markWrite()
            // Writes pass the approval gate (issue 18): it may ask a person before anything is written.
            let gate = ApprovalGate(service: service, run: run, party: party, params: params, tenantPolicy: exposure.approval)
            let cancellationKey = Cancellations.key(userID: party.sessionUserID, requestID: id)
            let cancellations = service.cancellations
            let work: @Sendable (ReadHandle) -> DispatchOutcome = { pooled in
                if cancellations.take(cancellationKey) { return .error(.cancelled) }
                return gate.execute(reader: pooled)
            }
            if case .handshake(_, _, true) = era { return .onWorkerMayAsk(work) }
            return .onWorker(.write, work)
        }
        switch tool.execution {
        case .onLoop:
            return run.execute(reader: reader)
        case .onWorker:
            let cancellationKey = Cancellations.key(userID: party.sessionUserID, requestID: id)
            let cancellations = service.cancellations
            return .onWorker(tool.readOnly ? .read : .write) { pooled in
                if cancellations.take(cancellationKey) { return .error(.cancelled) }
                return run.execute(reader: pooled)
            }
        }
    }

    private struct Refusal: Error {
        let outcome: DispatchOutcome
        /// The audit log's reason code (nil: not a refusal, the error says what failed).
        let reason: String?
    }

    /// Who this call runs as. The header token's caller, unless the tenant takes the token as
    /// an argument and the call brings one: then that token alone decides (it is the
    /// credential the client chose for this call), and it is taken out of the arguments
    /// before the tool sees them. The token is never echoed back or logged.
    private func callerForCall(_ arguments: inout JSONObject, exposure: ToolExposure,
                               reader: ReadHandle) -> Result<Caller, Refusal> {
        guard let presented = arguments[ToolRegistry.tokenArgument] else {
            if let caller = party.verifiedCaller { return .success(caller) }
            return .failure(Refusal(outcome: ToolRun.refusal(
                "access_token is required: pass your Deskgate access token as the access_token argument "
                + "(or send it in the Authorization header).", era: era), reason: "token_missing"))
        }
        arguments[ToolRegistry.tokenArgument] = nil
        guard exposure.acceptsTokenArgument else {
            return .failure(Refusal(outcome: ToolRun.refusal(
                "This tenant does not accept access_token as a tool argument: leave it out; the token goes "
                + "in the Authorization header.", era: era), reason: "token_argument_not_accepted"))
        }
        guard case .string(var token) = presented, !token.isEmpty else {
            return .failure(Refusal(outcome: ToolRun.refusal("access_token must be a non-empty string.", era: era),
                                    reason: "token_refused"))
        }
        if token.hasPrefix("Bearer ") || token.hasPrefix("bearer ") { token = String(token.dropFirst(7)) }
        switch service.caller(for: token, tenantSlug: party.tenant.slug, host: host, on: reader) {
        case .success(let caller): return .success(caller)
        case .failure(.invalid(let description)):
            return .failure(Refusal(outcome: ToolRun.refusal("access_token was refused: \(description).", era: era),
                                    reason: "token_refused"))
        case .failure(.tenantSuspended):
            return .failure(Refusal(outcome: .error(TenantRefusal.suspended(slug: party.tenant.slug).rpcError),
                                    reason: "tenant_suspended"))
        case .failure(.unavailable):
            return .failure(Refusal(outcome: .error(.internalError("the database is unavailable; try again")),
                                    reason: nil))
        }
    }
}

/// Cursors for tools/list: opaque to clients, an offset to us.
enum ListCursor {
    static func encode(_ offset: Int) -> String { "t" + String(offset, radix: 36) }

    static func decode(_ text: String) -> Int? {
        guard text.hasPrefix("t"), let offset = Int(text.dropFirst(), radix: 36), offset >= 0 else { return nil }
        return offset
    }
}
