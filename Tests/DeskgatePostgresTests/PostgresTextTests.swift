import DeskgateSQL
import Testing
@testable import DeskgatePostgres

/// Text-format values read as SQLite would read them, and bound values spelled as PostgreSQL reads them.
@Suite struct PostgresTextTests {
    static func withText<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        Array(text.utf8).withUnsafeBufferPointer(body)
    }

    static let integers: [(text: String, value: Int64)] = [
        ("0", 0), ("-42", -42), ("+7", 7),
        ("9223372036854775807", .max), ("-9223372036854775808", .min),
        // numeric and float text: truncated toward zero, saturating.
        ("12.50", 12), ("-12.9", -12), ("1e3", 1000), ("2.5E1", 25),
        ("99999999999999999999", .max), ("-99999999999999999999", .min), ("Infinity", 0), ("1e300", .max),
        ("NaN", 0), ("abc", 0), ("12abc", 12), ("", 0),
    ]

    @Test(arguments: integers)
    func readsIntegers(_ example: (text: String, value: Int64)) {
        #expect(Self.withText(example.text, PostgresText.int64) == example.value)
    }

    static let doubles: [(text: String, value: Double)] = [
        ("2.5", 2.5), ("-0", -0.0), ("1e-05", 1e-5), ("0.30000000000000004", 0.1 + 0.2),
        ("1.7976931348623157e+308", .greatestFiniteMagnitude), ("5e-324", .leastNonzeroMagnitude),
        ("Infinity", .infinity), ("-Infinity", -.infinity), ("42", 42), ("12abc", 12), ("", 0),
    ]

    @Test(arguments: doubles)
    func readsDoubles(_ example: (text: String, value: Double)) {
        let value = Self.withText(example.text, PostgresText.double)
        #expect(value.bitPattern == example.value.bitPattern)
    }

    @Test func readsNaN() {
        #expect(Self.withText("NaN", PostgresText.double).isNaN)
    }

    static let byteas: [(text: String, bytes: [UInt8]?)] = [
        (#"\x"#, []),
        (#"\x00ff10"#, [0, 255, 16]),
        (#"\xABcd"#, [0xAB, 0xCD]),
        (#"\x0"#, nil),
        (#"\xzz"#, nil),
        // The escape format (bytea_output = escape).
        (#"a\000b\\c"#, [97, 0, 98, 92, 99]),
        (#"\377"#, [255]),
        (#"\9"#, nil),
        ("plain", Array("plain".utf8)),
        ("", []),
    ]

    @Test(arguments: byteas)
    func decodesBytea(_ example: (text: String, bytes: [UInt8]?)) {
        #expect(Self.withText(example.text, PostgresText.bytea) == example.bytes)
    }

    static let float8Texts: [(value: Double, text: String)] = [
        (2.5, "2.5"), (1e-5, "1e-05"), (-0.0, "-0.0"), (.infinity, "Infinity"), (-.infinity, "-Infinity"), (.nan, "NaN"),
        (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
    ]

    @Test(arguments: float8Texts)
    func spellsFloat8(_ example: (value: Double, text: String)) {
        #expect(PostgresParameters.float8Text(example.value) == example.text)
    }

    @Test func refusesTextWithNULWithoutQuotingIt() {
        #expect {
            _ = try PostgresParameters(["fine", "s3cret\u{0}tail"])
        } throws: { error in
            guard case let StoreError.invalidInput(message) = error else { return false }
            return message.contains("?2") && !message.contains("s3cret")
        }
    }

    @Test func typesEachValue() throws {
        let parameters = try PostgresParameters([SQLNull(), 1, 2.5, "x", [UInt8]([1])])
        #expect(parameters.types == [0, 20, 701, 25, 17])
    }
}
