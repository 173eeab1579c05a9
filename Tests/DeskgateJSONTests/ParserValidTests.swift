import DeskgateJSON
import Testing

@Suite("Parser: valid documents")
struct ParserValidTests {
    static let documents: [(String, JSONValue)] = [
        ("null", nil),
        ("true", true),
        ("false", false),
        (" \t\r\n 0 \n", 0),
        ("-0", number("-0")),
        ("1e10", number("1e10")),
        ("1E-5", number("1E-5")),
        ("-12.5e+3", number("-12.5e+3")),
        ("123456789012345678901234567890", number("123456789012345678901234567890")),
        (#""""#, ""),
        (#""hello""#, "hello"),
        (#""caf\u00e9 \u00E9""#, "café é"),
        (#""café 日本 😀""#, "café 日本 😀"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
        (#""a\u0000b""#, "a\u{0}b"),
        (#""\u2028\u2029""#, "\u{2028}\u{2029}"),
        ("[]", []),
        ("{}", [:]),
        ("[1, [2, [3, []]], {}]", [1, [2, [3, []]], [:]]),
        (#"{"a": {"b": {"c": [true, null]}}}"#, ["a": ["b": ["c": [true, nil]]]]),
        (#"{"z":1,"a":2,"m":3}"#, ["z": 1, "a": 2, "m": 3]),
        (#"{"":""}"#, ["": ""]),
        (#"{"k\n":"v"}"#, ["k\n": "v"]),
        (#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_ticket_metadata","arguments":{"ticket":1042}}}"#,
         ["jsonrpc": "2.0", "id": 7, "method": "tools/call",
          "params": ["name": "get_ticket_metadata", "arguments": ["ticket": 1042]]]),
    ]

    @Test(arguments: documents)
    func parses(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
    }

    @Test func objectKeepsSourceOrder() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":2,"m":3}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
    }

    @Test func numbersKeepTheirText() throws {
        let value = try JSONParser.parse("[1.0, 1e2, -0, 1E+02, 0.10]")
        #expect(value.arrayValue?.compactMap { $0.numberValue?.text } == ["1.0", "1e2", "-0", "1E+02", "0.10"])
    }

    @Test func accessors() throws {
        let value = try JSONParser.parse(#"{"s":"x","i":3,"d":2.5,"b":true,"n":null,"a":[1],"o":{}}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["i"]?.intValue == 3)
        #expect(value["d"]?.doubleValue == 2.5)
        #expect(value["b"]?.boolValue == true)
        #expect(value["n"]?.isNull == true)
        #expect(value["a"]?.arrayValue == [1])
        #expect(value["o"]?.objectValue?.isEmpty == true)
        #expect(value["missing"] == nil)
        #expect(value["s"]?.intValue == nil)
        #expect(value["i"]?.stringValue == nil)
        #expect(JSONValue.string("x")["s"] == nil)
    }
}
