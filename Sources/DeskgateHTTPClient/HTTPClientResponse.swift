/// The status line and header fields of a final (non-1xx) response.
public struct HTTPClientResponseHead: Equatable, Sendable {
    public var status: Int
    /// An HTTP/1.0 response: no chunked framing.
    public var isHTTP10: Bool
    /// Field names lower-cased, values trimmed, in arrival order.
    public var headers: [(name: String, value: String)]

    public init(status: Int, isHTTP10: Bool = false, headers: [(name: String, value: String)]) {
        self.status = status
        self.isHTTP10 = isHTTP10
        self.headers = headers
    }

    /// All values of a field joined with ", " (RFC 9110 §5.3), or `nil` when absent.
    public func header(_ name: String) -> String? {
        let values = headers.filter { $0.name == name }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    public static func == (lhs: HTTPClientResponseHead, rhs: HTTPClientResponseHead) -> Bool {
        lhs.status == rhs.status && lhs.isHTTP10 == rhs.isHTTP10
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}

/// A complete response: its head and the decoded body, within the exchange's limits.
public struct HTTPClientResponse: Equatable, Sendable {
    public var head: HTTPClientResponseHead
    public var body: [UInt8]

    public init(head: HTTPClientResponseHead, body: [UInt8]) {
        self.head = head
        self.body = body
    }

    public var status: Int { head.status }

    public func header(_ name: String) -> String? { head.header(name) }
}
