public import DeskgateJSON

/// A response with a complete body. Streaming responses are started with `RequestContext.stream`.
public struct Response: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ body: [UInt8], status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders()) -> Response {
        // The common case shares one header list instead of building one per response.
        if headers.count == 0 { return Response(status: status, headers: jsonHeaders, body: body) }
        var headers = headers
        headers.add("Content-Type", "application/json")
        return Response(status: status, headers: headers, body: body)
    }

    private static let jsonHeaders = HTTPHeaders([("Content-Type", "application/json")])

    /// A JSON document; the usual way to answer JSON (literals: `.json(["status": "ok"])`).
    public static func json(_ document: JSONValue, status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders()) -> Response {
        json(document.encoded(), status: status, headers: headers)
    }

    public static func json(_ body: String, status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders()) -> Response {
        json(Array(body.utf8), status: status, headers: headers)
    }

    public static func text(_ body: String, status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders()) -> Response {
        var headers = headers
        headers.add("Content-Type", "text/plain; charset=utf-8")
        return Response(status: status, headers: headers, body: Array(body.utf8))
    }

    public static func html(_ body: String, status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders()) -> Response {
        var headers = headers
        headers.add("Content-Type", "text/html; charset=utf-8")
        return Response(status: status, headers: headers, body: Array(body.utf8))
    }

    public static func redirect(to location: String, status: HTTPStatus = .seeOther) -> Response {
        Response(status: status, headers: HTTPHeaders([("Location", location)]))
    }

    /// The plain-text answer for an `HTTPError`.
    public static func error(_ error: HTTPError) -> Response {
        text(error.reason + "\n", status: error.status)
    }
}

extension Response {
    /// 503 for a failure worth retrying at once (the database restarted, dropped the
    /// connection or was busy): nothing was done, `Retry-After: 1`. Names the request when
    /// its id is at hand (the log has the detail under it).
    public static func temporarilyUnavailable(requestID: RequestID? = nil) -> Response {
        var body = JSONObject([("error", .string("temporarily_unavailable"))])
        if let requestID { body["request_id"] = .string(requestID.description) }
        var response = Response.json(.object(body), status: .serviceUnavailable)
        response.headers.add("Retry-After", "1")
        return response
    }
}
