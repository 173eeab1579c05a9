/// The recursive-descent parser behind `JSONParser`, walking the input bytes with an index.
///
/// `byte(at:)` returns 0 past the end: NUL can never start or continue a token outside a
/// string, so the grammar checks need no separate end-of-input test, and `unexpected(at:)`
/// tells the two cases apart when it builds the error.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var limits: JSONLimits
    var index = 0
    var depth = 0
    /// Reused across strings that contain escapes, so only the first one allocates.
    var scratch: [UInt8] = []
    /// Strings handed out shared when a string without escapes has exactly their bytes.
    let knownStrings: JSONKnownStrings?

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits, knownStrings: JSONKnownStrings? = nil) {
        self.bytes = bytes
        self.limits = limits
        self.knownStrings = knownStrings
    }

    @inline(__always)
    func byte(at i: Int) -> UInt8 {
        i < bytes.count ? bytes[i] : 0
    }

    mutating func scanDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try scanValue()
        skipWhitespace()
        guard index == bytes.count else {
            throw JSONError(offset: index, reason: "unexpected trailing \(Self.describe(bytes[index])) after the value")
        }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func scanValue() throws(JSONError) -> JSONValue {
        switch byte(at: index) {
        case UInt8(ascii: "\""): return .string(try scanString())
        case UInt8(ascii: "{"): return try scanObject()
        case UInt8(ascii: "["): return try scanArray()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try scanNumber())
        case UInt8(ascii: "t"): try scanLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try scanLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try scanLiteral("null"); return .null
        default: throw unexpected(at: index)
        }
    }

    mutating func scanObject() throws(JSONError) -> JSONValue {
        try enterContainer()
        index += 1  // "{"
        var object = JSONObject()
        skipWhitespace()
        if byte(at: index) == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(object)
        }
        // Most objects in a request have a handful of members: one allocation instead of three.
        object.reserveCapacity(4)
        while true {
            guard byte(at: index) == UInt8(ascii: "\"") else {
                if byte(at: index) == UInt8(ascii: "}") {
                    throw JSONError(offset: index, reason: "trailing comma in object")
                }
                throw unexpected(at: index, expecting: "a string key")
            }
            let keyOffset = index
            let key = try scanString()
            skipWhitespace()
            guard byte(at: index) == UInt8(ascii: ":") else { throw unexpected(at: index, expecting: "':'") }
            index += 1
            skipWhitespace()
            let value = try scanValue()
            guard object.insertNew(key, value) else {
                throw JSONError(offset: keyOffset, reason: "duplicate key '\(key)'")
            }
            skipWhitespace()
            switch byte(at: index) {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(object)
            default:
                throw unexpected(at: index, expecting: "',' or '}'")
            }
        }
    }

    mutating func scanArray() throws(JSONError) -> JSONValue {
        try enterContainer()
        index += 1  // "["
        var elements: [JSONValue] = []
        skipWhitespace()
        if byte(at: index) == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        elements.reserveCapacity(4)
        while true {
            elements.append(try scanValue())
            skipWhitespace()
            switch byte(at: index) {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                if byte(at: index) == UInt8(ascii: "]") {
                    throw JSONError(offset: index, reason: "trailing comma in array")
                }
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(elements)
            default:
                throw unexpected(at: index, expecting: "',' or ']'")
            }
        }
    }

    private mutating func enterContainer() throws(JSONError) {
        depth += 1
        guard depth <= limits.maxDepth else {
            throw JSONError(offset: index, reason: "nesting deeper than \(limits.maxDepth) levels")
        }
    }

    private mutating func scanLiteral(_ word: StaticString) throws(JSONError) {
        let start = index
        let matched = word.withUTF8Buffer { expected in
            for (offset, b) in expected.enumerated() where byte(at: start + offset) != b { return false }
            return true
        }
        guard matched else { throw JSONError(offset: start, reason: "invalid literal (expected '\(word)')") }
        index += word.utf8CodeUnitCount
    }

    /// RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    /// What may follow the number is the caller's business (",", "]", "}", whitespace, end).
    mutating func scanNumber() throws(JSONError) -> JSONNumber {
        let start = index
        if byte(at: index) == UInt8(ascii: "-") { index += 1 }
        if byte(at: index) == UInt8(ascii: "0") {
            index += 1
            if Self.isDigit(byte(at: index)) {
                throw JSONError(offset: index - 1, reason: "leading zeros are not allowed")
            }
        } else if Self.isDigit(byte(at: index)) {
            skipDigits()
        } else {
            throw JSONError(offset: index, reason: "expected a digit after '-'")
        }
        if byte(at: index) == UInt8(ascii: ".") {
            index += 1
            guard Self.isDigit(byte(at: index)) else {
                throw JSONError(offset: index, reason: "expected a digit after the decimal point")
            }
            skipDigits()
        }
        if byte(at: index) | 0x20 == UInt8(ascii: "e") {
            index += 1
            if byte(at: index) == UInt8(ascii: "+") || byte(at: index) == UInt8(ascii: "-") { index += 1 }
            guard Self.isDigit(byte(at: index)) else {
                throw JSONError(offset: index, reason: "expected a digit in the exponent")
            }
            skipDigits()
        }
        guard index - start <= limits.maxNumberLength else {
            throw JSONError(offset: start, reason: "number longer than \(limits.maxNumberLength) characters")
        }
        return JSONNumber(validatedText: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    @inline(__always)
    private mutating func skipDigits() {
        while Self.isDigit(byte(at: index)) { index += 1 }
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool {
        b &- UInt8(ascii: "0") < 10
    }

    /// "unexpected end of input" past the end, otherwise names the byte, with a hint for the
    /// non-JSON habits clients most often bring (comments, single quotes, NaN, a leading '+').
    func unexpected(at i: Int, expecting: String? = nil) -> JSONError {
        let suffix = expecting.map { ", expected \($0)" } ?? ""
        guard i < bytes.count else { return JSONError(offset: i, reason: "unexpected end of input" + suffix) }
        let b = bytes[i]
        var reason = "unexpected \(Self.describe(b))" + suffix
        switch b {
        case UInt8(ascii: "/"): reason += " (comments are not allowed)"
        case UInt8(ascii: "'"): reason += " (strings take double quotes)"
        case UInt8(ascii: "N"), UInt8(ascii: "I"): reason += " (NaN and Infinity are not JSON)"
        case UInt8(ascii: "+"), UInt8(ascii: "."): reason += " (numbers start with '-' or a digit)"
        default: break
        }
        return JSONError(offset: i, reason: reason)
    }

    static func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "character '\(Character(Unicode.Scalar(b)))'" }
        let hex = String(b, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
