import DeskgateHTTP
import DeskgateSystem
import DeskgateJSON
import DeskgateIdentity
import DeskgateModel

/// The Streamable HTTP framing of the protocol core's answer to one POST: a JSON or one-event
/// SSE body, the status `StreamableHTTPStatus` chooses, the session header after `initialize`,
/// the step-up challenge, and offloaded work run on the worker pool.
struct MCPExchange {
    let service: MCPService
    let party: RequestParty
    let framing: ResponseFraming
    let cors: HTTPHeaders
    /// The tenant's own host the request came in on (custom domains), nil for the path URL.
    var host: String? = nil

    func reply(_ answer: MCPAnswer, context: RequestContext) -> Reply {
        if case .offloadMayAsk(let work) = answer {
            return ApprovalStream(service: service, cors: cors).reply(work, context: context)
        }
        guard case .offload(let kind, let work) = answer else { return .response(response(answer)) }
        let database = service.storage, exchange = self
        return context.offload(lane: kind.lane) {
            do {
                let finished = try database.withReader { reader in try reader.snapshot { work(reader) } }
                return exchange.response(finished)
            } catch let failure as any TransientFailure where failure.isTransient {
                return exchange.response(.error(.unavailable, id: nil))
            }
        }
    }

    func response(_ answer: MCPAnswer) -> Response {
        let status = StreamableHTTPStatus.of(answer)
        switch answer {
        case .nothing:
            return Response(status: status, headers: cors)
        case .result(let result, let id):
            return rpcResponse(JSONRPCResponse.result(result, id: id), status: status, framing: framing, extra: cors)
        case .encodedResult(let encoded, let id):
            return rpcResultResponse(encoded, id: id, framing: framing, extra: cors)
        case .error(let error, let id):
            var extra = cors
            if error.kind == .unavailable { extra.add("Retry-After", "1") }
            return rpcResponse(JSONRPCResponse.error(error, id: id), status: status, framing: framing, extra: extra)
        case .batch(let responses):
            return rpcResponse(.array(responses), status: status, framing: framing, extra: cors)
        case .initialized(let result, let id, let handshake):
            var headers = cors
            if let sessionID = handshake.sessionID { headers.add("Mcp-Session-Id", sessionID) }
            return rpcResponse(JSONRPCResponse.result(result, id: id), status: status, framing: framing, extra: headers)
        case .stepUp(let stepUp):
            let challenges = Challenges(resourceMetadataURL: service.urls.resourceMetadata(party.tenant.slug, host: host),
                                        allScopes: Scopes.all.text)
            let body = JSONRPCResponse.error(stepUp.error, id: stepUp.id).encoded()
            var response = challenges.insufficientScope(needed: stepUp.scope, description: stepUp.description, rpcBody: body)
            for field in cors { response.headers.add(field.name, field.value) }
            return response
        case .offload, .offloadMayAsk, .awaitingApproval:
            return rpcErrorResponse(.internalError("nested worker dispatch"), id: nil, framing: framing, extra: cors)
        }
    }
}

extension WorkKind {
    /// Writes go where slow reads cannot hold them up.
    var lane: WorkLane { self == .write ? .reserved : .general }
}

/// The HTTP status of each protocol answer on Streamable HTTP (MCP 2025-11-25, Transports ›
/// Streamable HTTP): the protocol layer names kinds of failure, this transport alone turns
/// them into statuses.
enum StreamableHTTPStatus {
    static func of(_ answer: MCPAnswer) -> HTTPStatus {
        switch answer {
        case .nothing: return .accepted
        case .result, .encodedResult, .batch, .initialized, .offload, .offloadMayAsk, .awaitingApproval: return .ok
        case .error(let error, _): return of(error.kind)
        case .stepUp: return .forbidden
        }
    }

    static func of(_ kind: RPCError.Kind) -> HTTPStatus {
        switch kind {
        case .answered: return .ok
        case .rejected: return .badRequest
        case .unknownSession, .unroutable: return .notFound
        case .tenantRefused(let refusal): return refusal.httpStatus
        case .unavailable: return .serviceUnavailable
        case .rateLimited: return .tooManyRequests
        }
    }
}

/// The core reads MCP header fields straight from the request's header block.
extension HTTPHeaders: MCPHeaderFields {
    func value(of field: MCPHeaderField) -> String? { self[field.rawValue] }
    func value(of field: MCPHeaderField, equals expected: String) -> Bool { value(field.rawValue, equals: expected) }
}
