import DeskgateDesk
import DeskgateHTTP
import DeskgateJSON
import Testing
@testable import DeskgateMCP

/// The one outcome → JSON-RPC mapping, and Streamable HTTP's framing and statuses of answers.
@Suite("MCP answers")
struct AnswerMappingTests {
    static let one = JSONRPCID.number(JSONNumber(1))

    @Test(arguments: [
        (DispatchOutcome.result(.object(JSONObject([("a", .number(JSONNumber(1)))]))), #"{"jsonrpc":"2.0","id":1,"result":{"a":1}}"#),
        (.encodedResult(EncodedJSON(Array(#"{"b":[true,null]}"#.utf8))), #"{"jsonrpc":"2.0","id":1,"result":{"b":[true,null]}}"#),
        (.error(.methodNotFound("nope")), #"error answered {"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found: nope"}}"#),
        (.error(.cancelled), #"error answered {"jsonrpc":"2.0","id":1,"error":{"code":-32800,"message":"Request cancelled"}}"#),
        (.scopeRequired(scope: "tickets:write", description: "the tool resolve_ticket needs the scope tickets:write"),
         #"stepUp tickets:write {"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"Insufficient scope: the tool resolve_ticket needs the scope tickets:write"}}"#),
        (.accepted, "nothing"),
        (.onWorker(.read) { _ in .result(.bool(true)) }, "offload"),
    ] as [(DispatchOutcome, String)])
    func outcomes(outcome: DispatchOutcome, expected: String) {
        #expect(MCPAnswer(outcome, id: Self.one).summary == expected)
    }

    @Test func workerOutcomesFinishAsTheirAnswer() throws {
        let fixture = try ProtocolCoreFixture()
        let work = MCPAnswer(.onWorker(.read) { _ in .result(.bool(true)) }, id: Self.one)
        #expect(work.finished(on: fixture.reader).summary == #"{"jsonrpc":"2.0","id":1,"result":true}"#)
        let nested = MCPAnswer(.onWorker(.read) { _ in .onWorker(.read) { _ in .accepted } }, id: Self.one)
        #expect(nested.finished(on: fixture.reader).summary
                == #"error answered {"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error: nested worker dispatch"}}"#)
    }

    // MARK: Streamable HTTP

    @Test(arguments: [
        (RPCError.Kind.answered, 200), (.rejected, 400), (.unknownSession, 404), (.unroutable, 404),
        (.tenantRefused(.unknown(slug: "x")), 404), (.tenantRefused(.suspended(slug: "x")), 403),
    ] as [(RPCError.Kind, Int)])
    func statusOfEachErrorKind(kind: RPCError.Kind, status: Int) {
        #expect(StreamableHTTPStatus.of(kind).code == status)
    }

    @Test(arguments: [
        (MCPAnswer.nothing, 202),
        (.result(.null, id: one), 200),
        (.encodedResult(EncodedJSON(Array("{}".utf8)), id: one), 200),
        (.batch([]), 200),
        (.initialized(.null, id: one, handshake: Handshake(version: "2025-06-18", sessionID: "s")), 200),
        (.error(.invalidRequest("x"), id: one), 400),
        (.error(.parse("x"), id: nil), 400),
        (.error(.internalError("x"), id: one), 200),
        (.stepUp(ScopeStepUp(scope: "tickets:write", description: "d", id: one)), 403),
    ] as [(MCPAnswer, Int)])
    func statusOfEachAnswer(answer: MCPAnswer, status: Int) throws {
        #expect(StreamableHTTPStatus.of(answer).code == status)
        let fixture = try ProtocolCoreFixture()
        #expect(exchange(fixture, .json).response(answer).status.code == status)
    }

    func exchange(_ fixture: ProtocolCoreFixture, _ framing: ResponseFraming) -> MCPExchange {
        MCPExchange(service: fixture.service, party: .tenantOnly(fixture.tenant), framing: framing,
                    cors: HTTPHeaders([("Vary", "Origin")]))
    }

    @Test func encodedResultsAreSplicedInEitherFraming() throws {
        let fixture = try ProtocolCoreFixture()
        let answer = MCPAnswer.encodedResult(EncodedJSON(Array(#"{"n":1}"#.utf8)), id: .string("q\"1"))
        let json = exchange(fixture, .json).response(answer)
        #expect(String(decoding: json.body, as: UTF8.self) == #"{"jsonrpc":"2.0","id":"q\"1","result":{"n":1}}"#)
        #expect(json.headers["content-type"] == "application/json" && json.headers["vary"] == "Origin")
        let stream = exchange(fixture, .eventStream).response(answer)
        #expect(String(decoding: stream.body, as: UTF8.self) == "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":\"q\\\"1\",\"result\":{\"n\":1}}\n\n")
        #expect(stream.headers["content-type"] == "text/event-stream")
    }

    @Test func initializeCarriesItsSessionHeader() throws {
        let fixture = try ProtocolCoreFixture()
        let answer = MCPAnswer.initialized(.object(JSONObject()), id: Self.one, handshake: Handshake(version: "2025-06-18", sessionID: "s1"))
        let response = exchange(fixture, .json).response(answer)
        #expect(response.headers["mcp-session-id"] == "s1")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
    }

    @Test func aStepUpIsAChallengeWithTheJSONRPCErrorAsBody() throws {
        let fixture = try ProtocolCoreFixture()
        let stepUp = ScopeStepUp(scope: "tickets:write", description: "the tool resolve_ticket needs the scope tickets:write", id: Self.one)
        let response = exchange(fixture, .json).response(.stepUp(stepUp))
        #expect(response.status.code == 403)
        let challenge = try #require(response.headers["www-authenticate"])
        #expect(challenge.hasPrefix(#"Bearer error="insufficient_scope", scope="tickets:write", resource_metadata=""#))
        #expect(String(decoding: response.body, as: UTF8.self)
                == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"Insufficient scope: the tool resolve_ticket needs the scope tickets:write"}}"#)
        #expect(response.headers["vary"] == "Origin")
    }

    @Test func notificationsAreAcceptedWithoutABody() throws {
        let fixture = try ProtocolCoreFixture()
        let response = exchange(fixture, .json).response(.nothing)
        #expect(response.status.code == 202 && response.body.isEmpty)
    }

    /// HTTP's own refusals name their status; the protocol's come from the error's kind.
    @Test func transportRefusalsKeepTheirStatus() {
        #expect(rpcErrorResponse(.invalidRequest("Content-Type must be application/json"), id: nil,
                                 status: .unsupportedMediaType, framing: .json).status.code == 415)
        #expect(rpcErrorResponse(.invalidRequest("unknown session", kind: .unknownSession), id: nil, framing: .json).status.code == 404)
        #expect(rpcErrorResponse(TenantRefusal.suspended(slug: "x").rpcError, id: nil, framing: .json).status.code == 403)
    }
}
