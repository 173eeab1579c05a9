import DeskgateJSON
import Testing

@Suite("JSONQuoted and member order")
struct QuotedTests {
    static let rows: [(text: String, quoted: String)] = [
        ("", #""""#),
        ("plain", #""plain""#),
        ("a/b https://x.test/y", #""a/b https://x.test/y""#),  // never `\/`
        ("say \"hi\"\\", #""say \"hi\"\\""#),
        ("line\nbreak\r\ttab\u{08}\u{0C}", #""line\nbreak\r\ttab\b\f""#),
        ("\u{01}\u{1F}", #""\u0001\u001f""#),
        ("é ✓ \u{2028}", "\"é ✓ \\u2028\""),
    ]

    @Test func quotesLikeTheWriter() {
        for row in Self.rows {
            #expect(JSONQuoted.string(row.text) == row.quoted, "\(row.text)")
            var out: [UInt8] = Array("x:".utf8)
            JSONQuoted.append(row.text, to: &out)
            #expect(out == Array("x:".utf8) + Array(row.quoted.utf8))
            var writer = JSONWriter()
            writer.string(row.text)
            #expect(writer.bytes == Array(row.quoted.utf8))
        }
    }

    /// RFC 7638 thumbprints hash members in exactly the order written, without whitespace.
    @Test func objectsKeepTheOrderTheyAreBuiltIn() {
        let jwk = JSONValue.object(JSONObject([
            ("crv", "P-256"), ("kty", "EC"), ("x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"),
            ("y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"),
        ]))
        #expect(jwk.text == #"{"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#)
        let reversed = JSONValue.object(JSONObject([("z", 1), ("a", 2)]))
        #expect(reversed.text == #"{"z":1,"a":2}"#)
    }
}
