import DeskgateJSON

/// What a client declared it can do, where a behaviour depends on it.
enum ClientCapabilities {
    /// URL-mode elicitation (`capabilities.elicitation.url`, from 2025-11-25 on): the client can
    /// send its person to a page of ours, which is how writes that wait for approval ask.
    static func elicitsURL(_ capabilities: JSONValue?, version: String) -> Bool {
        guard version >= "2025-11-25", case .object? = capabilities?["elicitation"]?["url"] else { return false }
        return true
    }

    /// The 2026-07-28 per-request declaration (`params._meta[…clientCapabilities]`).
    static func elicitsURL(modernParams params: JSONObject, version: String) -> Bool {
        elicitsURL(params["_meta"]?[ProtocolVersion.clientCapabilitiesKey], version: version)
    }
}
