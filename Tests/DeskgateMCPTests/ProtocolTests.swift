import DeskgateJSON
import Testing
@testable import DeskgateMCP

@Suite("JSON-RPC messages")
struct JSONRPCMessageTests {
    enum Kind: Equatable {
        case request(String, String)
        case notification(String)
        case response
        case invalid(Int, hasID: Bool)
    }

    func classify(_ text: String) throws -> Kind {
        switch JSONRPCMessage.decode(try JSONParser.parse(text)) {
        case .success(.request(let id, let method, _)):
            switch id {
            case .string(let value): return .request("s:" + value, method)
            case .number(let number): return .request("n:" + number.text, method)
            }
        case .success(.notification(let method, _)): return .notification(method)
        case .success(.response): return .response
        case .failure(let failure): return .invalid(failure.error.code, hasID: failure.id != nil)
        }
    }

    @Test(arguments: [
        (#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, Kind.request("n:1", "ping")),
        (#"{"jsonrpc":"2.0","id":1.0,"method":"ping"}"#, .request("n:1.0", "ping")),
        (#"{"jsonrpc":"2.0","id":"abc","method":"tools/list","params":{}}"#, .request("s:abc", "tools/list")),
        (#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, .notification("notifications/initialized")),
        (#"{"jsonrpc":"2.0","id":3,"result":{}}"#, .response),
        (#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#, .invalid(-32600, hasID: false)),
        (#"{"jsonrpc":"1.0","id":2,"method":"ping"}"#, .invalid(-32600, hasID: true)),
        (#"{"id":2,"method":"ping"}"#, .invalid(-32600, hasID: true)),
        (#"{"jsonrpc":"2.0","id":2}"#, .invalid(-32600, hasID: true)),
        (#"{"jsonrpc":"2.0","id":2,"method":""}"#, .invalid(-32600, hasID: true)),
        (#"{"jsonrpc":"2.0","id":2,"method":"ping","params":[1]}"#, .invalid(-32600, hasID: true)),
        (#"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#, .invalid(-32600, hasID: false)),
        (#"[1]"#, .invalid(-32600, hasID: false)),
        (#""just a string""#, .invalid(-32600, hasID: false)),
    ])
    func classification(_ text: String, _ expected: Kind) throws {
        #expect(try classify(text) == expected)
    }

    @Test func idsEchoByteForByte() throws {
        for literal in ["7", "1.0", "1e2", "-0", "\"x-1\""] {
            let decoded = JSONRPCMessage.decode(try JSONParser.parse(#"{"jsonrpc":"2.0","id":\#(literal),"method":"ping"}"#))
            guard case .success(.request(let id, _, _)) = decoded else {
                Issue.record("not a request: \(literal)")
                continue
            }
            let response = JSONRPCResponse.result(.object(JSONObject()), id: id).text
            #expect(response == #"{"jsonrpc":"2.0","id":\#(literal),"result":{}}"#)
        }
    }
}

@Suite("Transport rules")
struct TransportRuleTests {
    @Test(arguments: [
        (nil, true), ("", true), ("http://localhost:6274", true), ("http://127.0.0.1", true), ("http://[::1]:3000", true),
        ("https://deskgate.example.com", true), ("https://deskgate.example.com/", true), ("https://evil.example", false),
        ("http://localhost.evil.example", false), ("http://127.0.0.1.nip.io", false), ("null", false),
    ] as [(String?, Bool)])
    func originPolicy(_ origin: String?, _ allowed: Bool) {
        let policy = OriginPolicy(configured: [], publicURLs: ["https://deskgate.example.com", "https://auth.example.com/base"])
        #expect(policy.permits(origin) == allowed)
    }

    @Test func configuredOriginsAreAllowed() {
        let policy = OriginPolicy(configured: ["https://App.Example.com"], publicURLs: [])
        #expect(policy.permits("https://app.example.com"))
        #expect(!policy.permits("https://other.example.com"))
    }

    @Test(arguments: [
        (nil, ResponseFraming.json), ("*/*", .json), ("application/json, text/event-stream", .json),
        ("text/event-stream", .eventStream), ("application/json", .json), ("text/html", nil),
        ("Application/JSON", .json), ("TEXT/Event-Stream;q=0.9", .eventStream), ("", .json), ("*/", nil),
    ] as [(String?, ResponseFraming?)])
    func acceptNegotiation(_ accept: String?, _ expected: ResponseFraming?) {
        #expect(ResponseFraming.negotiate(accept: accept) == expected)
    }

    /// The byte-level parser keeps the split-and-trim rules it replaced.
    @Test(arguments: [
        ("Bearer abc", "abc"), ("bearer abc", "abc"), ("BEARER  abc \t", "abc"), ("  Bearer abc", "abc"),
        ("Bearer", nil), ("Bearer ", nil), ("Bearer  \t ", nil), ("Basic abc", nil), ("Bearerx abc", nil),
        ("Bearer\tabc", nil), ("Bearer a b", "a b"), ("", nil),
    ] as [(String, String?)])
    func bearerHeaderParsing(_ header: String, _ expected: String?) {
        #expect(BearerToken.bearer(header) == expected)
    }

    @Test func contentTypeMatchIgnoresCase() {
        #expect(ASCII.hasPrefix("Application/JSON; charset=utf-8", "application/json"))
        #expect(!ASCII.hasPrefix("application/js", "application/json"))
        #expect(!ASCII.hasPrefix("text/plain", "application/json"))
    }

    @Test func listCursorsRoundTripAndRejectGarbage() {
        #expect(ListCursor.decode(ListCursor.encode(50)) == 50)
        #expect(ListCursor.decode("garbage") == nil)
        #expect(ListCursor.decode("t-5") == nil)
    }

    @Test(arguments: [
        ("get_ticket_metadata", "get_ticket_metadata"),
        ("=?base64?Z2V0X3RpY2tldF9tZXRhZGF0YQ==?=", "get_ticket_metadata"),
        ("=?base64?w6lsw6h2ZQ==?=", "élève"),
        ("=?base64?!!!?=", nil),
    ] as [(String, String?)])
    func nameHeaderDecoding(_ header: String, _ expected: String?) {
        #expect(NameHeader.decode(header) == expected)
    }

    @Test func cancellationsAreTakenOnce() {
        let cancellations = Cancellations(capacity: 2)
        let key = Cancellations.key(userID: 1, requestID: .number(JSONNumber(5)))
        cancellations.cancel(key)
        #expect(cancellations.take(key))
        #expect(!cancellations.take(key))
        cancellations.cancel("a")
        cancellations.cancel("b")
        cancellations.cancel("c")
        #expect(!cancellations.take("a"))
        #expect(cancellations.take("c"))
    }
}
