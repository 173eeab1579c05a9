/// The MCP revisions this server speaks, and which era each belongs to.
///
/// Handshake era: `initialize` negotiates a version and (here) opens a session.
/// Modern era (2026-07-28): no handshake; every request carries its version in `_meta`.
enum ProtocolVersion {
    static let modern = ["2026-07-28"]
    /// Newest first: the answer to an `initialize` offering a version we do not know.
    /// 2024-11-05 is the HTTP+SSE transport's revision (`/t/{tenant}/sse`).
    static let handshake = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    /// The HTTP+SSE transport's revision: what its stream speaks until `initialize` negotiates.
    static let legacyStream = "2024-11-05"
    /// What a request without any version information is assumed to speak (spec: 2025-03-26).
    static let assumedWithoutHeader = "2025-03-26"

    static var all: [String] { modern + handshake }

    static func isSupported(_ version: String) -> Bool { all.contains(version) }

    /// 2025-03-26 is the only revision that allows JSON-RPC batches.
    static func allowsBatches(_ version: String) -> Bool { version == "2025-03-26" }

    static let protocolVersionKey = "io.modelcontextprotocol/protocolVersion"
    static let clientCapabilitiesKey = "io.modelcontextprotocol/clientCapabilities"
    static let clientInfoKey = "io.modelcontextprotocol/clientInfo"
    static let serverInfoKey = "io.modelcontextprotocol/serverInfo"
}
