import DeskgateModel
import DeskgateIdentity
import DeskgateJSON

/// What a transport sends for one message (or one batch), as the protocol core decided it.
/// Transport-neutral: Streamable HTTP frames it as a JSON or one-event SSE body with a status
/// (`StreamableHTTPStatus`), the HTTP+SSE stream as an event, stdio as a line.
enum MCPAnswer {
    /// A notification, a client response, or a batch of only those: JSON-RPC answers nothing.
    case nothing
    case result(JSONValue, id: JSONRPCID)
    /// A result already encoded: the hot path splices the bytes into the response.
    case encodedResult(EncodedJSON, id: JSONRPCID)
    /// The id is nil when the message was too broken to read one.
    case error(RPCError, id: JSONRPCID?)
    /// The responses of a 2025-03-26 batch, in order (notifications have none).
    case batch([JSONValue])
    /// The token lacks a tool's scope; the transport may turn this into an authorization challenge.
    case stepUp(ScopeStepUp)
    /// `initialize` succeeded: the result to send, and the session the transport must carry.
    case initialized(JSONValue, id: JSONRPCID, handshake: Handshake)
    /// Work for a pooled read connection, off the event loop; it yields one of the other answers.
    case offload(WorkKind, @Sendable (ReadHandle) -> MCPAnswer)
    /// A write that may wait for a person's approval (`DispatchOutcome.onWorkerMayAsk`): Streamable
    /// HTTP answers it with an event stream; it yields `awaitingApproval` or another answer.
    case offloadMayAsk(@Sendable (ReadHandle) -> MCPAnswer)
    /// The request `id` waits for a person (`ApprovalWait`); the transport sends the elicitation
    /// request, then the answer once the approval is decided.
    case awaitingApproval(ApprovalWait, id: JSONRPCID)

    /// The JSON-RPC message to send, for transports that frame values (stdio, HTTP+SSE). An
    /// `offload` has none until it ran (`finished(on:)`).
    var message: JSONValue? {
        switch self {
        case .nothing, .offload, .offloadMayAsk, .awaitingApproval: return nil
        case .result(let result, let id), .initialized(let result, let id, _): return JSONRPCResponse.result(result, id: id)
        case .encodedResult(let encoded, let id): return JSONRPCResponse.result(encoded.value, id: id)
        case .error(let error, let id): return JSONRPCResponse.error(error, id: id)
        case .batch(let responses): return .array(responses)
        case .stepUp(let stepUp): return JSONRPCResponse.error(stepUp.error, id: stepUp.id)
        }
    }

    /// This answer with any offloaded work run here on `reader` (stdio, batches: one message at a time).
    func finished(on reader: ReadHandle) -> MCPAnswer {
        if case .offload(_, let work) = self { return work(reader) }
        if case .offloadMayAsk(let work) = self { return work(reader) }
        return self
    }

    /// Maps the dispatcher's outcome for the request `id`: the one outcome → response mapping.
    init(_ outcome: DispatchOutcome, id: JSONRPCID) {
        switch outcome {
        case .result(let result): self = .result(result, id: id)
        case .encodedResult(let encoded): self = .encodedResult(encoded, id: id)
        case .error(let error): self = .error(error, id: id)
        case .accepted: self = .nothing
        case .scopeRequired(let scope, let description):
            self = .stepUp(ScopeStepUp(scope: scope, description: description, id: id))
        case .onWorker(let kind, let work):
            self = .offload(kind) { reader in
                let finished = MCPAnswer(work(reader), id: id)
                // Worker work yields an answer, never more work.
                switch finished {
                case .offload, .offloadMayAsk, .awaitingApproval: return .error(.internalError("nested worker dispatch"), id: id)
                default: return finished
                }
            }
        case .onWorkerMayAsk(let work):
            self = .offloadMayAsk { reader in
                let finished = MCPAnswer(work(reader), id: id)
                switch finished {
                case .offload, .offloadMayAsk: return .error(.internalError("nested worker dispatch"), id: id)
                default: return finished
                }
            }
        case .awaitingApproval(let wait):
            self = .awaitingApproval(wait, id: id)
        }
    }
}

/// Whether offloaded work writes: transports run writes where slow reads cannot delay them
/// (Streamable HTTP and HTTP+SSE: the worker pool's reserved lane).
enum WorkKind: Sendable {
    case read
    case write
}

/// A call refused for want of a scope: what to ask the client for, and the JSON-RPC error that
/// says so to clients that cannot step up.
struct ScopeStepUp {
    let scope: String
    let description: String
    let id: JSONRPCID

    var error: RPCError { .insufficientScope(description) }
}

/// The session an `initialize` opened: its negotiated version, and its `Mcp-Session-Id` when the
/// core opened one in `MCPSessions` (Streamable HTTP); other transports keep the version.
struct Handshake: Equatable {
    let version: String
    let sessionID: String?
}
