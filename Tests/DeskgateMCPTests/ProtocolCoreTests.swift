import DeskgateJSON
import Testing
@testable import DeskgateMCP

/// The protocol core without sockets: each row a message and its envelope, and the exact answer.
@Suite("MCP protocol core")
struct ProtocolCoreTests {
    static let meta = #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#

    /// A session the row names: none, a live one of this version, or an id nobody opened.
    enum SessionRow { case none, live(String), unknown }

    func render(_ result: Result<Era, RPCError>) -> String {
        switch result {
        case .success(.modern(let version)): return "modern \(version)"
        case .success(.handshake(let version, let sessionID, _)): return "handshake \(version) session:\(sessionID != nil)"
        case .failure(let error): return "\(error.code) \(error.kind): \(error.message)"
        }
    }

    // MARK: Era selection on Streamable HTTP

    @Test(arguments: [
        // Handshake era: the session initialize opened; the version header may name another handshake revision.
        ("tools/list", "{}", [:], SessionRow.none,
         "-32600 rejected: Invalid request: missing Mcp-Session-Id: send initialize first (or use the 2026-07-28 _meta envelope)"),
        ("tools/list", "{}", [:], .live("2025-06-18"), "handshake 2025-06-18 session:true"),
        ("tools/list", "{}", [.protocolVersion: "2025-03-26"], .live("2025-06-18"), "handshake 2025-03-26 session:true"),
        ("tools/list", "{}", [:], .unknown, "-32600 unknownSession: Session not found: initialize again"),
        ("tools/list", "{}", [.protocolVersion: "1999-01-01"], .live("2025-06-18"),
         "-32600 rejected: Unsupported MCP-Protocol-Version: 1999-01-01"),
        // Modern era: chosen by _meta, a modern version header, or server/discover; then every rule holds.
        ("tools/list", "{\(meta)}", [.protocolVersion: "2026-07-28", .method: "tools/list"], .none, "modern 2026-07-28"),
        ("tools/list", "{\(meta)}", [.protocolVersion: "2026-07-28", .method: "tools/list"], .unknown, "modern 2026-07-28"),
        ("tools/list", "{}", [.protocolVersion: "2026-07-28", .method: "tools/list"], .none,
         "-32602 rejected: Invalid params: params._meta must carry 'io.modelcontextprotocol/protocolVersion' and 'io.modelcontextprotocol/clientCapabilities'"),
        ("server/discover", "{}", [:], .none,
         "-32602 rejected: Invalid params: params._meta must carry 'io.modelcontextprotocol/protocolVersion' and 'io.modelcontextprotocol/clientCapabilities'"),
        ("tools/list", #"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}"#, [.protocolVersion: "2026-07-28"], .none,
         "-32602 rejected: Invalid params: params._meta must carry 'io.modelcontextprotocol/protocolVersion' and 'io.modelcontextprotocol/clientCapabilities'"),
        ("tools/list", #"{"_meta":{"io.modelcontextprotocol/protocolVersion":7,"io.modelcontextprotocol/clientCapabilities":{}}}"#,
         [.protocolVersion: "2026-07-28"], .none, "-32602 rejected: Invalid params: the protocol version in _meta must be a string"),
        ("tools/list", "{\(meta)}", [.method: "tools/list"], .none,
         "-32020 rejected: MCP-Protocol-Version header does not match the request's _meta protocol version"),
        ("tools/list", "{\(meta)}", [.protocolVersion: "2026-07-28", .method: "tools/call"], .none,
         "-32020 rejected: Mcp-Method header does not match the request body's method"),
        ("tools/call", #"{"name":"get_ticket_metadata",\#(meta)}"#,
         [.protocolVersion: "2026-07-28", .method: "tools/call", .name: "get_ticket_metadata"], .none, "modern 2026-07-28"),
        ("tools/call", #"{"name":"get_ticket_metadata",\#(meta)}"#,
         [.protocolVersion: "2026-07-28", .method: "tools/call", .name: "=?base64?Z2V0X3RpY2tldF9tZXRhZGF0YQ==?="], .none,
         "modern 2026-07-28"),
        ("tools/call", #"{"name":"get_ticket_metadata",\#(meta)}"#,
         [.protocolVersion: "2026-07-28", .method: "tools/call", .name: "list_tickets"], .none,
         "-32020 rejected: Mcp-Name header does not match the request body's 'name' parameter"),
        ("tools/list", #"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2030-01-01","io.modelcontextprotocol/clientCapabilities":{}}}"#,
         [.protocolVersion: "2030-01-01", .method: "tools/list"], .none, "-32022 rejected: Unsupported protocol version: 2030-01-01"),
    ] as [(String, String, HeaderTable, SessionRow, String)])
    func streamableHTTPEras(method: String, params: String, fields: HeaderTable, session: SessionRow, expected: String) throws {
        let fixture = try ProtocolCoreFixture()
        var fields = fields
        switch session {
        case .none: break
        case .live(let version): fields.values[.sessionID] = fixture.session(version)
        case .unknown: fields.values[.sessionID] = "no-such-session"
        }
        let params = try #require(try JSONParser.parse(params).objectValue)
        #expect(render(fixture.core().era(for: method, params: params, fields: fields, carrier: .sessionHeader, reader: fixture.reader)) == expected)
    }

    // MARK: Era selection on stdio and the HTTP+SSE stream

    @Test(arguments: [
        ("tools/list", "{}", SessionCarrier.process(negotiated: nil),
         "-32600 rejected: Invalid request: send initialize first (or use the 2026-07-28 _meta envelope)"),
        ("ping", "{}", .process(negotiated: nil), "handshake 2025-03-26 session:false"),
        ("tools/list", "{}", .process(negotiated: "2025-06-18"), "handshake 2025-06-18 session:false"),
        ("tools/list", "{\(meta)}", .process(negotiated: nil), "modern 2026-07-28"),
        ("tools/list", #"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2030-01-01"}}"#, .process(negotiated: nil),
         "-32022 rejected: Unsupported protocol version: 2030-01-01"),
        ("tools/list", "{}", .legacyStream(id: "s", negotiated: nil), "handshake 2024-11-05 session:true"),
        ("tools/list", "{\(meta)}", .legacyStream(id: "s", negotiated: "2025-06-18"), "handshake 2025-06-18 session:true"),
    ] as [(String, String, SessionCarrier, String)])
    func connectionEras(method: String, params: String, carrier: SessionCarrier, expected: String) throws {
        let fixture = try ProtocolCoreFixture()
        let params = try #require(try JSONParser.parse(params).objectValue)
        #expect(render(fixture.core().era(for: method, params: params, fields: NoHeaderFields(), carrier: carrier, reader: fixture.reader)) == expected)
    }

    // MARK: initialize and sessions

    @Test(arguments: [
        ("2025-06-18", SessionCarrier.sessionHeader, "2025-06-18", true),
        ("1999-01-01", .sessionHeader, "2025-11-25", true),
        ("2025-03-26", .process(negotiated: nil), "2025-03-26", false),
        ("2024-11-05", .legacyStream(id: "s", negotiated: nil), "2024-11-05", false),
    ] as [(String, SessionCarrier, String, Bool)])
    func initializeNegotiates(requested: String, carrier: SessionCarrier, version: String, opensSession: Bool) throws {
        let fixture = try ProtocolCoreFixture()
        let answer = try fixture.answer(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"\#(requested)"}}"#,
                                        carrier: carrier)
        guard case .initialized(let result, .number(let id), let handshake) = answer else {
            Issue.record("not initialized: \(answer.summary)")
            return
        }
        #expect(id.text == "1" && handshake.version == version)
        #expect(result.objectValue?["protocolVersion"]?.stringValue == version)
        #expect((handshake.sessionID != nil) == opensSession)
        if let sessionID = handshake.sessionID {
            // The session it opened is the one the next request names.
            let next = try fixture.answer(#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#, [.sessionID: sessionID])
            #expect(next.summary == #"{"jsonrpc":"2.0","id":2,"result":{}}"#)
        }
    }

    @Test func initializeNeedsAVersion() throws {
        let fixture = try ProtocolCoreFixture()
        let answer = try fixture.answer(#"{"jsonrpc":"2.0","id":"a","method":"initialize","params":{}}"#)
        #expect(answer.summary == #"error answered {"jsonrpc":"2.0","id":"a","error":{"code":-32602,"message":"Invalid params: initialize needs params.protocolVersion"}}"#)
    }

    @Test func aSessionAnswersOnlyItsUser() throws {
        let fixture = try ProtocolCoreFixture()
        // Opened by the token-less party (user 0): the agent's token cannot resume it.
        let answer = try fixture.answer(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, [.sessionID: fixture.session("2025-06-18")],
                                        agent: true)
        #expect(answer.summary == #"error unknownSession {"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"Session not found: initialize again"}}"#)
    }

    // MARK: Notifications and client responses

    @Test func notificationsAreNeverAnsweredExceptByAnHTTPRefusal() throws {
        let fixture = try ProtocolCoreFixture()
        let initialized = #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#
        #expect(try fixture.answer(initialized, [.sessionID: fixture.session("2025-06-18")]).summary == "nothing")
        #expect(try fixture.answer(initialized, carrier: .process(negotiated: nil)).summary == "nothing")
        #expect(try fixture.answer(initialized, carrier: .legacyStream(id: "s", negotiated: nil)).summary == "nothing")
        // Streamable HTTP refuses one without a session (its status says why; the id is null).
        #expect(try fixture.answer(initialized).summary == #"error rejected {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request: missing Mcp-Session-Id: send initialize first (or use the 2026-07-28 _meta envelope)"}}"#)
        #expect(try fixture.answer(#"{"jsonrpc":"2.0","id":3,"result":{}}"#).summary == "nothing")
    }

    @Test func cancellationMarksTheRequestForThisUser() throws {
        let fixture = try ProtocolCoreFixture()
        let cancel = #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"r7"}}"#
        #expect(try fixture.answer(cancel, [.sessionID: fixture.session("2025-06-18")]).summary == "nothing")
        #expect(fixture.service.cancellations.take(Cancellations.key(userID: 0, requestID: .string("r7"))))
    }

    // MARK: Batches

    @Test(arguments: [
        ("[]", SessionRow.live("2025-03-26"), SessionCarrier.sessionHeader,
         #"error rejected {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request: empty batch"}}"#),
        (#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, .live("2025-06-18"), .sessionHeader,
         #"error rejected {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request: JSON-RPC batches are not supported in this protocol version"}}"#),
        (#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, .none, .sessionHeader,
         #"error rejected {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request: JSON-RPC batches are not supported in this protocol version"}}"#),
        (#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, .unknown, .sessionHeader,
         #"error rejected {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request: JSON-RPC batches are not supported in this protocol version"}}"#),
        // Requests answered in order; notifications, client responses and nothing else dropped.
        (#"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":9,"result":{}},{"jsonrpc":"1.0","id":2,"method":"ping"},{"jsonrpc":"2.0","id":3,"method":"initialize","params":{"protocolVersion":"2025-03-26"}},{"jsonrpc":"2.0","id":4,"method":"nope"}]"#,
         .live("2025-03-26"), .sessionHeader,
         #"[{"jsonrpc":"2.0","id":1,"result":{}},{"jsonrpc":"2.0","id":2,"error":{"code":-32600,"message":"Invalid request: jsonrpc must be \"2.0\""}},{"jsonrpc":"2.0","id":3,"error":{"code":-32600,"message":"Invalid request: initialize is answered by the transport"}},{"jsonrpc":"2.0","id":4,"error":{"code":-32601,"message":"Method not found: nope"}}]"#),
        (#"[{"jsonrpc":"2.0","method":"notifications/initialized"}]"#, .live("2025-03-26"), .sessionHeader, "nothing"),
        // stdio and the HTTP+SSE stream never took batches: an array is a malformed message there.
        (#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, .none, .process(negotiated: "2025-03-26"),
         #"error rejected {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request: a JSON-RPC message must be an object"}}"#),
    ] as [(String, SessionRow, SessionCarrier, String)])
    func batches(body: String, session: SessionRow, carrier: SessionCarrier, expected: String) throws {
        let fixture = try ProtocolCoreFixture()
        var fields = HeaderTable()
        switch session {
        case .none: break
        case .live(let version): fields.values[.sessionID] = fixture.session(version)
        case .unknown: fields.values[.sessionID] = "no-such-session"
        }
        let answer = try fixture.answer(body, fields, carrier: carrier)
        // A batch runs off the loop; here on the fixture's reader, as a worker would.
        let finished = try fixture.reader.snapshot { answer.finished(on: fixture.reader) }
        #expect(finished.summary == expected)
    }

    // MARK: Dispatch through the core

    @Test func aMissingScopeIsAStepUpWithTheOneWording() throws {
        let fixture = try ProtocolCoreFixture()
        let body = #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"add_ticket_tags","arguments":{"ticket_id":1,"tags":["x"]},\#(Self.meta)}}"#
        let fields: HeaderTable = [.protocolVersion: "2026-07-28", .method: "tools/call", .name: "add_ticket_tags"]
        let answer = try fixture.answer(body, fields, agent: true)
        #expect(answer.summary == #"stepUp tickets:write {"jsonrpc":"2.0","id":5,"error":{"code":-32600,"message":"Insufficient scope: the tool add_ticket_tags needs the scope tickets:write"}}"#)
    }

    @Test func anUnknownMethodIsUnroutableOnlyInTheModernEra() throws {
        let fixture = try ProtocolCoreFixture()
        let modern = try fixture.answer(#"{"jsonrpc":"2.0","id":1,"method":"nope","params":{\#(Self.meta)}}"#,
                                        [.protocolVersion: "2026-07-28", .method: "nope"])
        #expect(modern.summary == #"error unroutable {"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found: nope"}}"#)
        let handshake = try fixture.answer(#"{"jsonrpc":"2.0","id":1,"method":"nope"}"#, [.sessionID: fixture.session("2025-06-18")])
        #expect(handshake.summary == #"error answered {"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found: nope"}}"#)
    }

    @Test func malformedMessagesAreRejectedWithTheIdTheyHad() throws {
        let fixture = try ProtocolCoreFixture()
        #expect(try fixture.answer(#"{"jsonrpc":"1.0","id":"x","method":"ping"}"#).summary
                == #"error rejected {"jsonrpc":"2.0","id":"x","error":{"code":-32600,"message":"Invalid request: jsonrpc must be \"2.0\""}}"#)
        // A transport's own refusal (stdio: the token) reports a malformed message first.
        #expect(MCPProtocolCore.refusal(.internalError("down"), to: try JSONParser.parse(#"{"jsonrpc":"2.0","id":4,"method":"ping"}"#)).summary
                == #"error answered {"jsonrpc":"2.0","id":4,"error":{"code":-32603,"message":"Internal error: down"}}"#)
        #expect(MCPProtocolCore.refusal(.internalError("down"), to: try JSONParser.parse("[]")).summary
                == #"error rejected {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request: a JSON-RPC message must be an object"}}"#)
    }
}
