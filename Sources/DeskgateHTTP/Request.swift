/// The HTTP version of a request; only HTTP/1.0 and HTTP/1.1 are served.
public enum HTTPVersion: Sendable, Equatable {
    case http10
    case http11
}

/// A complete request: head and body, as handed to a route handler.
public struct Request: Sendable {
    public var method: String
    /// The request-target exactly as sent.
    public var target: String
    /// The path part of the target, still percent-encoded.
    public var path: String
    /// The raw query string (without `?`), if any.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Values of `{name}` segments of the matched route, percent-decoded.
    public var pathParameters = PathParameters()
    public var remoteAddress: String = ""
    /// Set by the server for every request it dispatches.
    public var requestID = RequestID(value: 0)
    /// The host name whose mapping routed this request (`Router.unmatchedPath`: a tenant's own
    /// domain), nil when its path matched a route as sent. URLs built for the reply use it.
    public var routedHost: String?

    public init(method: String, target: String, version: HTTPVersion = .http11,
                headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        let (path, query) = RequestTarget.split(target)
        self.path = path
        self.query = query
    }

    /// A path parameter by name (empty string if the route has no such parameter).
    public func parameter(_ name: String) -> String { pathParameters[name] ?? "" }

    /// Decoded `application/x-www-form-urlencoded` pairs of the query string.
    public var queryItems: [(name: String, value: String)] {
        guard let query else { return [] }
        return FormURLEncoding.decode(query)
    }

    /// The first query value for `name`.
    public func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// The body as UTF-8 text (invalid sequences repaired).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Splitting and decoding of request-targets.
enum RequestTarget {
    /// Origin-form `/p?q` → ("/p", "q"); absolute-form `http://h/p?q` → ("/p", "q"); `*` → ("*", nil).
    static func split(_ target: String) -> (path: String, query: String?) {
        // The common case, origin-form: scan bytes, and share the target's storage when there is no query.
        if target.utf8.first == UInt8(ascii: "/") {
            guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (target, nil) }
            return (String(target[..<mark]), String(target[target.utf8.index(after: mark)...]))
        }
        var rest = Substring(target)
        if !rest.hasPrefix("/") && rest != "*" {
            // Absolute-form: drop scheme and authority (RFC 9112 §3.2.2 requires servers to accept it).
            if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
                rest = rest[rest.index(colon, offsetBy: 3)...]
                if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) {
                    rest = rest[slash...]
                } else {
                    rest = ""
                }
                if rest.isEmpty || rest.hasPrefix("?") { rest = "/" + rest }
            }
        }
        if let mark = rest.firstIndex(of: "?") {
            return (String(rest[..<mark]), String(rest[rest.index(after: mark)...]))
        }
        return (String(rest), nil)
    }
}
