import DeskgateJSON
import Testing

@Suite("Encoding and round trips")
struct EncodingTests {
    /// Compact documents encode back to exactly the same bytes.
    static let compact: [String] = [
        "null", "true", "[]", "{}", "-0", "1.0", "1e2", "1E-5", "123456789012345678901234567890",
        #""héllo 😀 日本""#, #"[1,"a",null,{"b":[true,false]}]"#,
        #"{"z":{"y":{"x":[]}},"a":"\"\\\n\r\t\b\f\u0001\u001f"}"#,
        #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_ticket_metadata","arguments":{"ticket":1042}}}"#,
    ]

    @Test(arguments: compact)
    func compactDocumentsRoundTripByteForByte(text: String) throws {
        let value = try JSONParser.parse(text)
        #expect(value.text == text)
        #expect(try JSONParser.parse(value.encoded()) == value)
    }

    /// Spacing and optional escapes go away, but the value survives.
    static let spaced: [(String, String)] = [
        ("[ 1 , 2 ]", "[1,2]"),
        ("{ \"a\" :\n\t{ } }", #"{"a":{}}"#),
        (#""\/\u0041\u00e9\ud83d\ude00""#, #""/Aé😀""#),
        (#""\u2028""#, #""\u2028""#),
    ]

    @Test(arguments: spaced)
    func reencodesCompactly(text: String, expected: String) throws {
        let value = try JSONParser.parse(text)
        #expect(value.text == expected)
        #expect(try JSONParser.parse(value.encoded()) == value)
    }

    static let escapes: [(String, String)] = [
        ("plain", #""plain""#),
        ("quote\" backslash\\ slash/", #""quote\" backslash\\ slash/""#),
        ("\n\r\t\u{08}\u{0C}", #""\n\r\t\b\f""#),
        ("\u{0}\u{1}\u{1F}\u{7F}", "\"\\u0000\\u0001\\u001f\u{7F}\""),
        ("line\u{2028}para\u{2029}end", #""line\u2028para\u2029end""#),
        ("€ – ‘x’ 😀", "\"€ – ‘x’ 😀\""),  // E2 lead bytes that are not U+2028/9 pass through
        ("</script>", #""</script>""#),
    ]

    @Test(arguments: escapes)
    func escapesStrings(string: String, expected: String) throws {
        let value = JSONValue.string(string)
        #expect(value.text == expected)
        #expect(try JSONParser.parse(value.encoded()) == value)
    }

    @Test func encodeIntoAppends() {
        var out = Array("HTTP body: ".utf8)
        let value: JSONValue = ["ok": true]
        value.encode(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"HTTP body: {"ok":true}"#)
    }

    @Test func literalsKeepSourceOrder() {
        let value: JSONValue = ["jsonrpc": "2.0", "id": 1, "result": ["b": 2.5, "a": nil, "c": [false]]]
        #expect(value.text == #"{"jsonrpc":"2.0","id":1,"result":{"b":2.5,"a":null,"c":[false]}}"#)
    }
}
