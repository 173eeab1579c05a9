import Testing
@testable import DeskgateJSON

/// A table of known strings is only a shortcut: every document parses to the same value, and
/// fails with the same error, with or without it.
@Suite("Parser with known strings")
struct ParserKnownStringsTests {
    static let known = JSONKnownStrings([
        "jsonrpc", "2.0", "id", "method", "params", "name", "arguments", "_meta", "tools/call", "ticket", "a",
        "io.modelcontextprotocol/protocolVersion", "io.modelcontextprotocol/clientCapabilities",
        "io.modelcontextprotocol/clientInfo", "2026-07-28", "get_ticket_metadata", "é", "",
    ])

    static let meta = #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"wrk","version":"1"}}"#

    static let corpus: [String] = [
        #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_ticket_metadata","arguments":{"ticket":7},"# + meta + "}}",
        #"{"jsonrpc":"2.0","id":"abc","method":"tools/call","params":{"name":"get_ticket_metadata","arguments":{"ticket":7}}}"#,
        #"  {"params":{"arguments":{"ticket":1},"name":"get_ticket_metadata"},"method":"tools/call","id":12345678901234567890,"jsonrpc":"2.0"} "#,
        "{\n\t\"jsonrpc\" : \"2.0\" ,\r\n \"id\" : 1e3 , \"method\":\"tools/call\"}",
        #"{"jsonrpc":"2.0","id":-0.5,"method":"tools/call","params":{"_meta":{"progressToken":"x","_meta":{"_meta":{}}}}}"#,
        // Escapes in keys and values: the ordinary path, same result.
        #"{"json\u0072pc":"2.0","id":1,"method":"tools\/call","na\u006De":"x"}"#,
        #"{"\u005fmeta":{"io.modelcontextprotocol\/protocolVersion":"2026-07-28"}}"#,
        #"{"é":"é","\u00e9x":1,"a":"a","":""}"#,
        // Prefixes and extensions of known strings.
        #"{"jsonrp":"2.","idx":"tools/cal","method ":"tools/calls","_met":"_metaa"}"#,
        // Duplicate keys, known and unknown, plain and escaped.
        #"{"jsonrpc":"2.0","jsonrpc":"2.0"}"#,
        #"{"id":1,"i\u0064":2}"#,
        #"{"params":{"name":"a","name":"b"}}"#,
        #"{"zz":1,"zz":2}"#,
        // Wrong types where a JSON-RPC message would want others (the parser accepts them).
        #"{"jsonrpc":2.0,"id":null,"method":["tools/call"],"params":"name"}"#,
        #"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"}]"#,
        // Malformed documents.
        #"{"jsonrpc":"2.0","id":1,"method":"tools/call"} x"#,
        #"{"jsonrpc":"2.0","id":1,"method":"tools/call",}"#,
        #"{"jsonrpc":"2.0" "id":1}"#,
        #"{"jsonrpc":"2.0","id":01}"#,
        #"{"jsonrpc:"2.0"}"#,
        #"{"jsonrpc":"2.0"#,
        #"{"jsonrpc"#,
        "{\"method\":\"tools/\u{01}call\"}",
        #"{"method":"tools/call\x"}"#,
        #"{"method":"\ud800"}"#,
        #"{'jsonrpc':'2.0'}"#,
        #"{"id":NaN}"#,
        #"{"id":+1}"#,
        "",
        "   ",
        "{",
        "}",
        #"{"a":[1,2,]}"#,
        #"{"a":{"b":{"c":{"d":"name"}}}}"#,
    ]

    static func both(_ bytes: [UInt8]) -> (Result<JSONValue, JSONError>, Result<JSONValue, JSONError>) {
        let plain = Result { () throws(JSONError) -> JSONValue in try JSONParser.parse(bytes) }
        let shortcut = Result { () throws(JSONError) -> JSONValue in try JSONParser.parse(bytes, knownStrings: known) }
        return (plain, shortcut)
    }

    @Test(arguments: corpus)
    func sameValueOrSameError(_ text: String) {
        let (plain, shortcut) = Self.both(Array(text.utf8))
        #expect(plain == shortcut)
    }

    /// Invalid UTF-8 right after a known prefix, and bytes cut short inside a known string.
    @Test func invalidBytesAndTruncations() {
        var cases: [[UInt8]] = [
            Array(#"{"name":"get_ticket_metadata"#.utf8) + [0xC3],
            Array(#"{"na"#.utf8) + [0xFF] + Array(#"me":1}"#.utf8),
            Array(#"{"a":""#.utf8) + [0xC3, 0xA9, 0xA9] + Array(#""}"#.utf8),
        ]
        let full = Array(Self.corpus[0].utf8)
        for length in 0..<full.count { cases.append(Array(full[0..<length])) }
        for bytes in cases {
            let (plain, shortcut) = Self.both(bytes)
            #expect(plain == shortcut, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    /// The table is used: known strings come back equal (the shortcut's whole point is the
    /// same value without decoding), and it answers exactly its own strings.
    @Test func tableMatchesOnlyItsOwnStrings() {
        for text in ["jsonrpc", "io.modelcontextprotocol/clientInfo", "é", "a"] {
            var copy = text
            let found = copy.withUTF8 { Self.known.match($0.baseAddress!, count: $0.count) }
            #expect(found == text)
        }
        for text in ["jsonrp", "jsonrpcx", "b", "get_ticket_metadatA", "io.modelcontextprotocol/clientInfx"] {
            var copy = text
            #expect(copy.withUTF8 { Self.known.match($0.baseAddress!, count: $0.count) } == nil)
        }
        #expect(JSONKnownStrings([]).match("x", count: 1) == nil)
    }
}
