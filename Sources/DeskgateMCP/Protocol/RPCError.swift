import DeskgateJSON

/// A JSON-RPC error object, with the HTTP status the Streamable HTTP transport answers it with.
struct RPCError: Error, Sendable {
    let code: Int
    let message: String
    var data: JSONValue?
    /// 200 for errors inside a normal exchange; 4xx where the transport says so.
    var httpStatus: Int = 200

    static func parse(_ detail: String) -> RPCError {
        RPCError(code: -32700, message: "Parse error: \(detail)", httpStatus: 400)
    }
    static func invalidRequest(_ detail: String, httpStatus: Int = 400) -> RPCError {
        RPCError(code: -32600, message: "Invalid request: \(detail)", httpStatus: httpStatus)
    }
    static func methodNotFound(_ method: String, httpStatus: Int = 200) -> RPCError {
        RPCError(code: -32601, message: "Method not found: \(method)", httpStatus: httpStatus)
    }
    static func invalidParams(_ detail: String, data: JSONValue? = nil, httpStatus: Int = 200) -> RPCError {
        RPCError(code: -32602, message: "Invalid params: \(detail)", data: data, httpStatus: httpStatus)
    }
    static func internalError(_ detail: String) -> RPCError {
        RPCError(code: -32603, message: "Internal error: \(detail)")
    }
    /// 2026-07-28: a routing header disagrees with the body.
    static func headerMismatch(_ detail: String) -> RPCError {
        RPCError(code: -32020, message: detail, httpStatus: 400)
    }
    /// 2026-07-28: the requested version is not one we speak.
    static func unsupportedVersion(_ requested: String) -> RPCError {
        RPCError(code: -32022, message: "Unsupported protocol version: \(requested)",
                 data: .object(JSONObject([("supported", .array(ProtocolVersion.all.map { .string($0) })),
                                           ("requested", .string(requested))])),
                 httpStatus: 400)
    }
    static let cancelled = RPCError(code: -32800, message: "Request cancelled")

    var json: JSONValue {
        var object = JSONObject([("code", .number(JSONNumber(code))), ("message", .string(message))])
        if let data { object["data"] = data }
        return .object(object)
    }
}
