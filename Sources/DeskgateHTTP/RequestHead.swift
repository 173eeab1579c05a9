/// How the body of a request is delimited (RFC 9112 §6.3).
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// The parsed head of a request, with the framing and connection decisions taken from it.
struct RequestHead {
    var method: String
    var target: String
    var version: HTTPVersion
    var headers: HTTPHeaders
    var framing: BodyFraming
    var keepAlive: Bool
    var expectContinue: Bool

    /// Consumes the head: its strings and header array move into the request instead of being copied.
    consuming func makeRequest(body: [UInt8]) -> Request {
        Request(method: method, target: target, version: version, headers: headers, body: body)
    }
}
