import DeskgateHTTP

/// Cross-origin headers for browser-based MCP clients (allowed origins only).
enum CORS {
    static let allowedRequestHeaders = "Authorization, Content-Type, Accept, MCP-Protocol-Version, Mcp-Session-Id, "
        + "Last-Event-ID, Mcp-Method, Mcp-Name, X-Deskgate-Access-Token"
    static let exposedHeaders = "WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version"

    static func headers(for origin: String?) -> HTTPHeaders {
        guard let origin, !origin.isEmpty else { return HTTPHeaders() }
        return HTTPHeaders([("Access-Control-Allow-Origin", origin), ("Vary", "Origin"),
                            ("Access-Control-Expose-Headers", exposedHeaders)])
    }
}
