import DeskgateJSON
import Testing

@Suite("Limits")
struct LimitsTests {
    static func nested(_ depth: Int, open: String = "[", close: String = "]") -> String {
        String(repeating: open, count: depth) + String(repeating: close, count: depth)
    }

    @Test func defaultDepthIsExactly64() throws {
        #expect(parseError(Self.nested(64)) == nil)
        let error = try #require(parseError(Self.nested(65)))
        #expect(error.reason == "nesting deeper than 64 levels")
        #expect(error.offset == 64)
    }

    @Test(arguments: [1, 2, 10])
    func customDepth(maxDepth: Int) {
        var limits = JSONLimits()
        limits.maxDepth = maxDepth
        #expect(parseError(Self.nested(maxDepth), limits: limits) == nil)
        #expect(parseError(Self.nested(maxDepth + 1), limits: limits)?.reason.contains("nesting deeper") == true)
        let objects = String(repeating: #"{"a":"#, count: maxDepth + 1) + "1" + String(repeating: "}", count: maxDepth + 1)
        #expect(parseError(objects, limits: limits)?.reason.contains("nesting deeper") == true)
    }

    @Test func scalarsHaveDepthZero() {
        var limits = JSONLimits()
        limits.maxDepth = 0
        #expect(parseError("1", limits: limits) == nil)
        #expect(parseError("[]", limits: limits) != nil)
    }

    /// The limit is on the decoded UTF-8 length, for plain strings, escaped strings and keys.
    static let strings: [(String, Bool)] = [
        (#""abcd""#, true),
        (#""abcde""#, false),
        (#""é\u00e9""#, true),  // 4 bytes decoded, 8 in the input
        (#""\u00e9\u00e9a""#, false),
        (#"{"abcd":1}"#, true),
        (#"{"abcde":1}"#, false),
    ]

    @Test(arguments: strings)
    func stringLength(text: String, ok: Bool) {
        var limits = JSONLimits()
        limits.maxStringBytes = 4
        let error = parseError(text, limits: limits)
        #expect((error == nil) == ok)
        if let error { #expect(error.reason == "string longer than 4 bytes") }
    }

    static let numbers: [(String, Bool)] = [("123", true), ("1234", false), ("-12", true), ("-1.5", false), ("1e9", true)]

    @Test(arguments: numbers)
    func numberLength(text: String, ok: Bool) {
        var limits = JSONLimits()
        limits.maxNumberLength = 3
        let error = parseError(text, limits: limits)
        #expect((error == nil) == ok)
        if let error { #expect(error.reason == "number longer than 3 characters") }
    }
}
