import DeskgateJSON
import Testing

@Suite("Parser: invalid documents")
struct ParserInvalidTests {
    /// Each row breaks one RFC 8259 rule (or one of our stricter ones) and names the reason.
    static let documents: [(String, String)] = [
        ("", "unexpected end of input"),
        ("  \n ", "unexpected end of input"),
        ("[", "unexpected end of input"),
        (#"{"a":"#, "unexpected end of input"),
        ("[1,]", "trailing comma in array"),
        (#"{"a":1,}"#, "trailing comma in object"),
        ("[1,,2]", "unexpected character ','"),
        ("{,}", "expected a string key"),
        ("// comment\n1", "comments are not allowed"),
        ("[1 /* c */]", "comments are not allowed"),
        ("'a'", "strings take double quotes"),
        ("{'a':1}", "expected a string key"),
        ("{a:1}", "unexpected character 'a', expected a string key"),
        ("NaN", "NaN and Infinity are not JSON"),
        ("Infinity", "NaN and Infinity are not JSON"),
        ("-Infinity", "expected a digit after '-'"),
        ("01", "leading zeros are not allowed"),
        ("-012", "leading zeros are not allowed"),
        ("+1", "unexpected character '+'"),
        (".5", "unexpected character '.'"),
        ("1.", "expected a digit after the decimal point"),
        ("1.e5", "expected a digit after the decimal point"),
        ("1e", "expected a digit in the exponent"),
        ("1e+", "expected a digit in the exponent"),
        ("-", "expected a digit after '-'"),
        ("0x10", "unexpected trailing character 'x'"),
        (#""abc"#, "unterminated string"),
        (#""abc\"#, "unterminated string"),
        ("\"a\u{01}b\"", "unescaped control character byte 0x01"),
        ("\"a\tb\"", "unescaped control character byte 0x09"),
        ("\"a\nb\"", "unescaped control character byte 0x0A"),
        (#""\x""#, #"invalid escape '\x'"#),
        (#""\'""#, #"invalid escape '\''"#),
        (#""\u12G4""#, #"invalid \u escape"#),
        (#""\u12""#, #"invalid \u escape"#),
        (#""\ud800""#, "lone surrogate"),
        (#""\ud800x""#, "lone surrogate"),
        (#""\udc00""#, "lone surrogate"),
        (#""\ud83d\u0041""#, "lone surrogate"),
        (#""\ude00\ud83d""#, "lone surrogate"),
        (#"{"a":1,"a":2}"#, "duplicate key 'a'"),
        (#"{"id":1,"x":{"k":1,"k":[]}}"#, "duplicate key 'k'"),
        ("1 2", "unexpected trailing character '2'"),
        ("{} x", "unexpected trailing character 'x'"),
        ("[]]", "unexpected trailing character ']'"),
        ("tru", "invalid literal (expected 'true')"),
        ("nul", "invalid literal (expected 'null')"),
        ("fals3", "invalid literal (expected 'false')"),
        ("True", "unexpected character 'T'"),
        ("None", "unexpected character 'N'"),
        ("[1 2]", "expected ',' or ']'"),
        (#"{"a" 1}"#, "expected ':'"),
        (#"{"a":1 "b":2}"#, "expected ',' or '}'"),
        (#"{"a":}"#, "unexpected character '}'"),
        ("\u{0C}1", "unexpected byte 0x0C"),  // form feed is not JSON whitespace
        ("\u{A0}1", "unexpected byte 0xC2"),  // nor is a no-break space
        ("\u{FEFF}1", "unexpected byte 0xEF"),  // nor a byte order mark
    ]

    @Test(arguments: documents)
    func rejects(text: String, reason: String) throws {
        let error = try #require(parseError(text))
        #expect(error.reason.contains(reason), "got \(error)")
    }

    /// Bytes that are not well-formed UTF-8, inside strings (the only place non-ASCII may appear).
    static let badUTF8: [[UInt8]] = [
        [0x22, 0xFF, 0x22],                    // never valid
        [0x22, 0x80, 0x22],                    // continuation without a lead byte
        [0x22, 0xC0, 0xAF, 0x22],              // overlong '/'
        [0x22, 0xE0, 0x80, 0xAF, 0x22],        // overlong, three bytes
        [0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22],  // overlong, four bytes
        [0x22, 0xED, 0xA0, 0x80, 0x22],        // UTF-16 surrogate encoded as UTF-8
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xE2, 0x82, 0x22],              // truncated sequence
        [0x22, 0xC3],                          // truncated at end of input
        [0x22, 0x5C, 0x6E, 0xFE, 0x22],        // after an escape (slow path)
    ]

    @Test(arguments: badUTF8)
    func rejectsInvalidUTF8(bytes: [UInt8]) throws {
        let error = try #require(parseError(bytes))
        #expect(error.reason.contains("JSON text must be UTF-8"), "got \(error)")
    }

    @Test func errorNamesTheByteOffset() throws {
        let error = try #require(parseError(#"{"jsonrpc":"2.0",x}"#))
        #expect(error.offset == 17)
        #expect(error.description == "unexpected character 'x', expected a string key at byte 17")
        #expect(parseError([0x22, 0x61, 0x62, 0xFF, 0x22])?.offset == 3)
        #expect(parseError(#"{"a":1,"a":2}"#)?.offset == 7)
        #expect(parseError("[1, 01]")?.offset == 4)
    }

    @Test func validUTF8IsAccepted() throws {
        // Boundary scalars of each UTF-8 length: U+0080, U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF.
        let text = "\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"
        #expect(try JSONParser.parse("\"\(text)\"") == .string(text))
    }
}
