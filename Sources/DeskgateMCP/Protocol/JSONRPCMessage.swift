import DeskgateJSON

/// A JSON-RPC request id: echoed byte for byte (a number keeps its literal text).
enum JSONRPCID: Sendable, Hashable {
    case string(String)
    case number(JSONNumber)

    /// The id of a single request's body, when it has a valid one.
    init?(of body: JSONValue) {
        switch body["id"] {
        case .string(let text)?: self = .string(text)
        case .number(let number)?: self = .number(number)
        default: return nil
        }
    }

    var json: JSONValue {
        switch self {
        case .string(let text): return .string(text)
        case .number(let number): return .number(number)
        }
    }
}

/// One decoded JSON-RPC 2.0 message from a client.
enum JSONRPCMessage: Sendable {
    case request(id: JSONRPCID, method: String, params: JSONObject)
    case notification(method: String, params: JSONObject)
    /// A client's answer to a server request; we send none yet, so these are accepted and dropped.
    case response(id: JSONRPCID)

    /// Classifies one message; errors carry the id when it could be read.
    static func decode(_ value: JSONValue) -> Result<JSONRPCMessage, MessageDecodeFailure> {
        guard case .object(let object) = value else {
            return .failure(MessageDecodeFailure(error: .invalidRequest("a JSON-RPC message must be an object"), id: nil))
        }
        var id: JSONRPCID?
        switch object["id"] {
        case nil: break
        case .string(let text)?: id = .string(text)
        case .number(let number)?: id = .number(number)
        case .null?: return .failure(MessageDecodeFailure(error: .invalidRequest("id must not be null"), id: nil))
        default: return .failure(MessageDecodeFailure(error: .invalidRequest("id must be a string or a number"), id: nil))
        }
        guard object["jsonrpc"] == .string("2.0") else {
            return .failure(MessageDecodeFailure(error: .invalidRequest("jsonrpc must be \"2.0\""), id: id))
        }
        if object["method"] == nil, object["result"] != nil || object["error"] != nil, let id {
            return .success(.response(id: id))
        }
        guard case .string(let method)? = object["method"], !method.isEmpty else {
            return .failure(MessageDecodeFailure(error: .invalidRequest("method must be a non-empty string"), id: id))
        }
        let params: JSONObject
        switch object["params"] {
        case nil: params = JSONObject()
        case .object(let value)?: params = value
        default: return .failure(MessageDecodeFailure(error: .invalidRequest("params must be an object"), id: id))
        }
        if let id { return .success(.request(id: id, method: method, params: params)) }
        return .success(.notification(method: method, params: params))
    }

    var id: JSONRPCID? {
        switch self {
        case .request(let id, _, _), .response(let id): return id
        case .notification: return nil
        }
    }
}

/// A message that is not valid JSON-RPC, with its id when it could be read.
struct MessageDecodeFailure: Error {
    let error: RPCError
    let id: JSONRPCID?
}

/// Encodes responses straight to bytes.
enum JSONRPCResponse {
    static func result(_ result: JSONValue, id: JSONRPCID) -> JSONValue {
        .object(JSONObject([("jsonrpc", "2.0"), ("id", id.json), ("result", result)]))
    }

    static func error(_ error: RPCError, id: JSONRPCID?) -> JSONValue {
        .object(JSONObject([("jsonrpc", "2.0"), ("id", id?.json ?? .null), ("error", error.json)]))
    }
}
