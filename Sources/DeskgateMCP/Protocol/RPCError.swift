import DeskgateJSON

/// A JSON-RPC error object, and the kind of failure it reports.
///
/// The kind is protocol language (was the message served, rejected, or aimed at something that
/// is not there?); only the Streamable HTTP transport turns it into a status
/// (`StreamableHTTPStatus`), so stdio and the HTTP+SSE stream never deal in statuses.
struct RPCError: Error, Sendable {
    enum Kind: Sendable, Equatable {
        /// An error answer inside a working exchange: the method was reached and refused or failed.
        case answered
        /// The message or its protocol envelope cannot be served as sent (malformed, an unsupported
        /// version, routing headers that disagree with the body, no session where one is needed).
        case rejected
        /// It names a handshake session this server does not hold for the caller.
        case unknownSession
        /// It names a method this server does not serve, where that is a routing failure (2026-07-28).
        case unroutable
        /// The tenant cannot be served at all.
        case tenantRefused(TenantRefusal)
        /// The database could not be reached: nothing was done, and the same request may be
        /// sent again (Streamable HTTP: 503 with Retry-After).
        case unavailable
        /// Over a request rate (issue 19): nothing was done; Streamable HTTP answers 429.
        case rateLimited
    }

    let code: Int
    let message: String
    var data: JSONValue?
    var kind: Kind = .answered

    static func parse(_ detail: String) -> RPCError {
        RPCError(code: -32700, message: "Parse error: \(detail)", kind: .rejected)
    }
    static func invalidRequest(_ detail: String, kind: Kind = .rejected) -> RPCError {
        RPCError(code: -32600, message: "Invalid request: \(detail)", kind: kind)
    }
    static func methodNotFound(_ method: String, kind: Kind = .answered) -> RPCError {
        RPCError(code: -32601, message: "Method not found: \(method)", kind: kind)
    }
    static func invalidParams(_ detail: String, data: JSONValue? = nil, kind: Kind = .answered) -> RPCError {
        RPCError(code: -32602, message: "Invalid params: \(detail)", data: data, kind: kind)
    }
    static func internalError(_ detail: String) -> RPCError {
        RPCError(code: -32603, message: "Internal error: \(detail)")
    }
    static let unavailable = RPCError(code: -32603, message: "Internal error: the database is unavailable; retry shortly",
                                      kind: .unavailable)
    /// 2026-07-28: a routing header disagrees with the body.
    static func headerMismatch(_ detail: String) -> RPCError {
        RPCError(code: -32020, message: detail, kind: .rejected)
    }
    /// 2026-07-28: the requested version is not one we speak.
    static func unsupportedVersion(_ requested: String) -> RPCError {
        RPCError(code: -32022, message: "Unsupported protocol version: \(requested)",
                 data: .object(JSONObject([("supported", .array(ProtocolVersion.all.map { .string($0) })),
                                           ("requested", .string(requested))])),
                 kind: .rejected)
    }
    /// A valid token without the scope the called tool needs (the one wording on every transport;
    /// Streamable HTTP also sends it as the body of its 403 step-up challenge).
    static func insufficientScope(_ description: String) -> RPCError {
        RPCError(code: -32600, message: "Insufficient scope: \(description)")
    }
    static let cancelled = RPCError(code: -32800, message: "Request cancelled")
    var json: JSONValue {
        var object = JSONObject([("code", .number(JSONNumber(code))), ("message", .string(message))])
        if let data { object["data"] = data }
        return .object(object)
    }
}
