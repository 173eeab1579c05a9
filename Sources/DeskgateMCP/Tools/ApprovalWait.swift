import DeskgateIdentity
import DeskgateJSON

/// A write waiting for a person in a handshake session whose client declared URL elicitation:
/// the `elicitation/create` request to send on the call's event stream, and how to finish the
/// call once the approval is decided. `poll` reads the approval (any process may have recorded
/// the decision) and returns nil while nobody has decided; then the write's result or the
/// refusal. The id of the request names the approval, so the client's answer can be matched.
struct ApprovalWait: Sendable {
    let approvalID: String
    let url: String
    let message: String
    let expiresAt: Int64
    let poll: @Sendable (ReadHandle) -> DispatchOutcome?

    static let requestPrefix = "deskgate-approval:"

    /// The approval a client's JSON-RPC response answers, if it is one of ours.
    static func approvalID(answering id: JSONRPCID) -> String? {
        guard case .string(let text) = id, text.hasPrefix(requestPrefix) else { return nil }
        return String(text.dropFirst(requestPrefix.count))
    }

    /// The server-to-client request (MCP 2025-11-25, URL-mode elicitation).
    var request: JSONValue {
        .object(JSONObject([
            ("jsonrpc", "2.0"), ("id", .string(Self.requestPrefix + approvalID)), ("method", "elicitation/create"),
            ("params", .object(JSONObject([("mode", "url"), ("elicitationId", .string(approvalID)), ("url", .string(url)),
                                           ("message", .string(message))]))),
        ]))
    }

    /// Sent once the person decided, before the call's answer (the spec's optional notice).
    var completed: JSONValue {
        .object(JSONObject([("jsonrpc", "2.0"), ("method", "notifications/elicitation/complete"),
                            ("params", .object(JSONObject([("elicitationId", .string(approvalID))])))]))
    }
}
