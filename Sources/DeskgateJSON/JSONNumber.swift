/// A JSON number kept as its literal text.
///
/// Keeping the text (rather than converting to `Double`) means a JSON-RPC id such as `1.0`
/// or `1e2` is echoed exactly as the client sent it, and integers beyond 2^53 lose nothing.
/// Equality and hashing are on the text: `1` and `1.0` are different numbers here.
public struct JSONNumber: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Always a valid RFC 8259 number literal.
    public let text: String

    public init(_ value: Int) {
        text = String(value)
    }

    /// `value` must be finite: JSON has no NaN or Infinity, and silently writing `null`
    /// would hide a bug in the caller.
    public init(_ value: Double) {
        precondition(value.isFinite, "JSON numbers must be finite, got \(value)")
        // Swift's shortest round-trip form ("1.0", "1e-05", "1e+16") is always valid JSON.
        text = value.description
    }

    /// Validates `text` against the JSON number grammar; `nil` when it is not one.
    public init?(text: String) {
        guard JSONNumber.isValidLiteral(text) else { return nil }
        self.text = text
    }

    /// For the parser, which has already checked the grammar.
    init(validatedText: String) {
        text = validatedText
    }

    /// The value as an `Int`, only for plain integer literals (no fraction, no exponent)
    /// within `Int` range; "4.2", "1.0", "1e2" and overflowing literals give `nil`.
    /// Deliberately narrow: a client that sends `1.0` for a ticket number is sending
    /// something other than an integer, and we would rather reject than guess.
    public var int: Int? {
        Int(text)
    }

    /// The nearest `Double`, or `nil` when the literal is out of `Double` range (e.g. "1e400").
    public var double: Double? {
        guard let d = Double(text), d.isFinite else { return nil }
        return d
    }

    public var description: String { text }

    static func isValidLiteral(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { bytes in
            var scanner = JSONScanner(bytes: bytes, limits: JSONLimits())
            scanner.limits.maxNumberLength = Int.max
            guard let first = bytes.first, first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else {
                return false
            }
            do {
                _ = try scanner.scanNumber()
            } catch {
                return false
            }
            return scanner.index == bytes.count
        }
    }
}
