import DeskgateJSON
import Testing

@Suite("Numbers")
struct NumberTests {
    static let accessorRows: [(String, Int?, Double?)] = [
        ("42", 42, 42),
        ("-7", -7, -7),
        ("-0", 0, -0.0),
        ("4.2", nil, 4.2),
        ("1.0", nil, 1),  // integral value, but not an integer literal
        ("1e2", nil, 100),
        ("9223372036854775807", Int.max, 9223372036854775808.0),
        ("-9223372036854775808", Int.min, -9223372036854775808.0),
        ("9223372036854775808", nil, 9223372036854775808.0),  // one past Int.max
        ("123456789012345678901234567890", nil, 1.2345678901234568e29),
        ("1e400", nil, nil),  // out of Double range
        ("-1e400", nil, nil),
        ("5e-324", nil, .leastNonzeroMagnitude),
    ]

    @Test(arguments: accessorRows)
    func accessors(text: String, int: Int?, double: Double?) throws {
        let parsed = try JSONParser.parse(text)
        #expect(parsed.intValue == int)
        #expect(parsed.doubleValue == double)
        #expect(parsed.numberValue?.text == text)
    }

    static let fromDouble: [(Double, String)] = [
        (1.5, "1.5"), (1, "1.0"), (-0.0, "-0.0"), (0.1, "0.1"), (1e-7, "1e-07"), (1e16, "1e+16"),
        (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
    ]

    @Test(arguments: fromDouble)
    func doublesWriteShortestValidLiterals(value: Double, text: String) throws {
        let n = JSONNumber(value)
        #expect(n.text == text)
        #expect(JSONNumber(text: n.text) != nil)
        #expect(n.double == value)
    }

    @Test(arguments: [0, 1, -1, 42, Int.max, Int.min])
    func intsRoundTrip(value: Int) {
        #expect(JSONNumber(value).text == String(value))
        #expect(JSONNumber(value).int == value)
    }

    static let literalValidity: [(String, Bool)] = [
        ("0", true), ("-0", true), ("1.5e-3", true), ("1E+2", true),
        ("", false), ("01", false), ("+1", false), (".5", false), ("1.", false), ("1e", false),
        ("1 ", false), (" 1", false), ("NaN", false), ("-", false), ("1e5x", false), ("0x1", false),
    ]

    @Test(arguments: literalValidity)
    func textInitializerValidates(text: String, valid: Bool) {
        #expect((JSONNumber(text: text) != nil) == valid)
    }

    @Test func equalityIsTextual() {
        #expect(JSONNumber(text: "1.0") != JSONNumber(1))
        #expect(JSONNumber(text: "1") == JSONNumber(1))
        #expect(JSONValue.number(JSONNumber(1.0)) != JSONValue.number(JSONNumber(1)))
    }
}
