/// The MCP header fields a transport may carry beside a message body (Streamable HTTP does;
/// stdio and the HTTP+SSE stream carry none).
enum MCPHeaderField: String {
    case protocolVersion = "mcp-protocol-version"
    case sessionID = "mcp-session-id"
    case method = "mcp-method"
    case name = "mcp-name"
}

/// How the protocol core reads a message's header fields. A protocol rather than a value of
/// strings: the hot path compares `Mcp-Method` and `Mcp-Name` on the header bytes in place,
/// and a tool name is too long for an inline string.
protocol MCPHeaderFields {
    func value(of field: MCPHeaderField) -> String?
    func value(of field: MCPHeaderField, equals expected: String) -> Bool
}

/// A transport without header fields.
struct NoHeaderFields: MCPHeaderFields {
    func value(of field: MCPHeaderField) -> String? { nil }
    func value(of field: MCPHeaderField, equals expected: String) -> Bool { false }
}

/// Where a transport keeps the handshake-era session `initialize` opens; it decides the rules
/// the core applies (era choice, batches, whether a refused notification can be answered).
enum SessionCarrier: Sendable, Equatable {
    /// Streamable HTTP: each request names its session in `Mcp-Session-Id` (`MCPSessions`)
    /// or speaks 2026-07-28, whose routing headers must agree with the body.
    case sessionHeader
    /// stdio: the process is the session, with the version its `initialize` negotiated (nil
    /// before). The `_meta` envelope alone selects 2026-07-28.
    case process(negotiated: String?)
    /// The 2024-11-05 HTTP+SSE stream is the session: handshake era only, in the stream's own
    /// revision until `initialize` negotiates one.
    case legacyStream(id: String, negotiated: String?)
}

/// `Mcp-Name` values that would not survive as a header are sent as `=?base64?…?=`.
enum NameHeader {
    static func decode(_ value: String?) -> String? {
        guard let value else { return nil }
        guard value.hasPrefix("=?base64?"), value.hasSuffix("?=") else { return value }
        let payload = value.dropFirst("=?base64?".count).dropLast(2)
        guard let bytes = StandardBase64.decode(String(payload)) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
