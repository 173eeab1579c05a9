import DeskgateIdentity
import DeskgateJSON

/// Which era a request is served in, and the envelope rules of each (MCP 2025-11-25
/// "Transports › Streamable HTTP" and the 2026-07-28 stateless `_meta` envelope).
extension MCPProtocolCore {
    func era<Fields: MCPHeaderFields>(for method: String, params: JSONObject, fields: Fields,
                                      carrier: SessionCarrier, reader: ReadHandle) -> Result<Era, RPCError> {
        switch carrier {
        case .sessionHeader:
            return headerEra(for: method, params: params, fields: fields, reader: reader)
        case .process(let negotiated):
            if case .string(let version)? = params["_meta"]?[ProtocolVersion.protocolVersionKey] {
                guard ProtocolVersion.modern.contains(version) else { return .failure(.unsupportedVersion(version)) }
                return .success(.modern(version: version))
            }
            guard negotiated != nil || method == "ping" else {
                return .failure(.invalidRequest("send initialize first (or use the 2026-07-28 _meta envelope)"))
            }
            return .success(.handshake(version: negotiated ?? ProtocolVersion.assumedWithoutHeader, sessionID: nil))
        case .legacyStream(let id, let negotiated):
            return .success(.handshake(version: negotiated ?? ProtocolVersion.legacyStream, sessionID: id))
        }
    }

    /// Streamable HTTP: modern when the request carries the 2026-07-28 `_meta` envelope, names a
    /// modern version in `MCP-Protocol-Version`, or is `server/discover`; otherwise the handshake
    /// era, which needs the session `initialize` opened.
    private func headerEra<Fields: MCPHeaderFields>(for method: String, params: JSONObject,
                                                    fields: Fields, reader: ReadHandle) -> Result<Era, RPCError> {
        let meta = params["_meta"]?.objectValue
        // Read once: each lookup builds the value again.
        let headerVersion = fields.value(of: .protocolVersion)
        let modernHeader = headerVersion.map { ProtocolVersion.modern.contains($0) } ?? false
        if method == "server/discover" || meta?[ProtocolVersion.protocolVersionKey] != nil || modernHeader {
            return modernEra(method: method, params: params, meta: meta, headerVersion: headerVersion, fields: fields)
        }
        return headerSessionEra(fields: fields, headerVersion: headerVersion, reader: reader)
    }

    private func modernEra<Fields: MCPHeaderFields>(method: String, params: JSONObject, meta: JSONObject?,
                                                    headerVersion: String?, fields: Fields) -> Result<Era, RPCError> {
        guard let meta, meta[ProtocolVersion.protocolVersionKey] != nil, meta[ProtocolVersion.clientCapabilitiesKey] != nil else {
            return .failure(.invalidParams("params._meta must carry '\(ProtocolVersion.protocolVersionKey)' and "
                                           + "'\(ProtocolVersion.clientCapabilitiesKey)'", kind: .rejected))
        }
        guard case .string(let version)? = meta[ProtocolVersion.protocolVersionKey] else {
            return .failure(.invalidParams("the protocol version in _meta must be a string", kind: .rejected))
        }
        guard headerVersion == version else {
            return .failure(.headerMismatch("MCP-Protocol-Version header does not match the request's _meta protocol version"))
        }
        guard fields.value(of: .method, equals: method) else {
            return .failure(.headerMismatch("Mcp-Method header does not match the request body's method"))
        }
        if method == "tools/call" || method == "prompts/get" || method == "resources/read" {
            let key = method == "resources/read" ? "uri" : "name"
            // The plain spelling compared on bytes first; the base64 form is decoded.
            if case .string(let name)? = params[key], !fields.value(of: .name, equals: name),
               NameHeader.decode(fields.value(of: .name)) != name {
                return .failure(.headerMismatch("Mcp-Name header does not match the request body's '\(key)' parameter"))
            }
        }
        guard ProtocolVersion.modern.contains(version) else { return .failure(.unsupportedVersion(version)) }
        return .success(.modern(version: version))
    }

    /// The handshake session a Streamable HTTP request names, bound to the party's user.
    func headerSessionEra<Fields: MCPHeaderFields>(fields: Fields, reader: ReadHandle) -> Result<Era, RPCError> {
        headerSessionEra(fields: fields, headerVersion: fields.value(of: .protocolVersion), reader: reader)
    }

    private func headerSessionEra<Fields: MCPHeaderFields>(fields: Fields, headerVersion: String?,
                                                           reader: ReadHandle) -> Result<Era, RPCError> {
        if let headerVersion, !ProtocolVersion.handshake.contains(headerVersion) {
            return .failure(RPCError(code: -32600, message: "Unsupported MCP-Protocol-Version: \(headerVersion)",
                                     data: .object(JSONObject([("supported", .array(ProtocolVersion.all.map { .string($0) }))])),
                                     kind: .rejected))
        }
        guard let sessionID = fields.value(of: .sessionID) else {
            return .failure(.invalidRequest("missing Mcp-Session-Id: send initialize first (or use the 2026-07-28 _meta envelope)"))
        }
        let resumed: MCPSessions.Session?
        do {
            resumed = try service.sessions.resume(sessionID, tenantID: party.tenant.id, userID: party.sessionUserID, reader: reader)
        } catch {
            return .failure(.unavailable)
        }
        guard let session = resumed else {
            return .failure(RPCError(code: -32600, message: "Session not found: initialize again", kind: .unknownSession))
        }
        return .success(.handshake(version: headerVersion ?? session.protocolVersion, sessionID: sessionID,
                                   elicitsURL: session.elicitsURL))
    }
}
