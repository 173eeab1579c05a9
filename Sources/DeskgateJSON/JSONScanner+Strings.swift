// String literals: the hot path is a string with no escapes, which is checked in one pass and
// copied into a `String` once; the first backslash switches to building the bytes in `scratch`.
extension JSONScanner {
    /// Scans the string starting at the opening quote at `index`.
    mutating func scanString() throws(JSONError) -> String {
        let open = index
        index += 1
        var runStart = index  // start of bytes not yet copied to scratch
        var escaped = false
        let count = bytes.count
        while true {
            if let base = bytes.baseAddress {
                while index &+ 8 <= count {
                    let word = WordScan.load(base, index)
                    if WordScan.hasNonASCII(word) || WordScan.hasByte(word, lessThan: 0x20)
                        || WordScan.hasByte(word, equalTo: UInt8(ascii: "\"")) || WordScan.hasByte(word, equalTo: UInt8(ascii: "\\")) {
                        break
                    }
                    index &+= 8
                }
            }
            guard index < count else {
                throw JSONError(offset: index, reason: "unterminated string starting at byte \(open)")
            }
            let b = bytes[index]
            // Printable ASCII other than '"' and '\' is by far the common case.
            if b >= 0x20 && b < 0x80 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                if !escaped {
                    escaped = true
                    scratch.removeAll(keepingCapacity: true)
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                try scanEscape()
                runStart = index
                continue
            }
            if b < 0x20 {
                throw JSONError(offset: index, reason: "unescaped control character \(Self.describe(b)) in string")
            }
            index += try multibyteLength(at: index)
        }
        let text: String
        if escaped {
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            try checkStringLength(scratch.count, open: open)
            text = String(decoding: scratch, as: UTF8.self)
        } else {
            try checkStringLength(index - runStart, open: open)
            // The bytes were checked above; a known string with the same bytes is the same text.
            if let knownStrings, let base = bytes.baseAddress,
               let known = knownStrings.match(base + runStart, count: index - runStart) {
                text = known
            } else {
                text = String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<index]), as: UTF8.self)
            }
        }
        index += 1  // closing quote
        return text
    }

    private func checkStringLength(_ length: Int, open: Int) throws(JSONError) {
        guard length <= limits.maxStringBytes else {
            throw JSONError(offset: open, reason: "string longer than \(limits.maxStringBytes) bytes")
        }
    }

    /// Decodes the escape at `index` (a backslash) into `scratch`.
    private mutating func scanEscape() throws(JSONError) {
        let start = index
        let replacement: UInt8
        switch byte(at: index + 1) {
        case UInt8(ascii: "\""): replacement = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): replacement = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): replacement = UInt8(ascii: "/")
        case UInt8(ascii: "b"): replacement = 0x08
        case UInt8(ascii: "f"): replacement = 0x0C
        case UInt8(ascii: "n"): replacement = 0x0A
        case UInt8(ascii: "r"): replacement = 0x0D
        case UInt8(ascii: "t"): replacement = 0x09
        case UInt8(ascii: "u"):
            appendScalar(try scanUnicodeEscape())
            return
        default:
            guard index + 1 < bytes.count else {
                throw JSONError(offset: index + 1, reason: "unterminated string")
            }
            throw JSONError(offset: start, reason: "invalid escape '\\\(Self.printable(bytes[index + 1]))'")
        }
        scratch.append(replacement)
        index += 2
    }

    /// `\uXXXX`, or a `\uD8xx\uDCxx` surrogate pair, at `index`. A lone surrogate cannot be
    /// represented in UTF-8 (or in a Swift `String`), so it is an error rather than U+FFFD.
    private mutating func scanUnicodeEscape() throws(JSONError) -> UInt32 {
        let start = index
        let unit = try hex4(at: index + 2)
        index += 6
        switch unit {
        case 0xD800...0xDBFF:
            guard byte(at: index) == UInt8(ascii: "\\"), byte(at: index + 1) == UInt8(ascii: "u") else {
                throw JSONError(offset: start, reason: "lone surrogate \\u\(Self.hex(unit)) (high surrogate without low)")
            }
            let low = try hex4(at: index + 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONError(offset: start, reason: "lone surrogate \\u\(Self.hex(unit)) (high surrogate without low)")
            }
            index += 6
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF:
            throw JSONError(offset: start, reason: "lone surrogate \\u\(Self.hex(unit)) (low surrogate without high)")
        default:
            return unit
        }
    }

    private func hex4(at i: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for position in i..<(i + 4) {
            let b = byte(at: position)
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw JSONError(offset: i - 2, reason: "invalid \\u escape (needs four hex digits)")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func appendScalar(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(0xC0 | UInt8(scalar >> 6))
            scratch.append(0x80 | UInt8(scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(0xE0 | UInt8(scalar >> 12))
            scratch.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            scratch.append(0x80 | UInt8(scalar & 0x3F))
        default:
            scratch.append(0xF0 | UInt8(scalar >> 18))
            scratch.append(0x80 | UInt8(scalar >> 12 & 0x3F))
            scratch.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            scratch.append(0x80 | UInt8(scalar & 0x3F))
        }
    }

    /// Length of the well-formed UTF-8 sequence whose lead byte (>= 0x80) is at `i`
    /// (RFC 3629 table: no overlongs, no surrogates, nothing above U+10FFFF).
    private func multibyteLength(at i: Int) throws(JSONError) -> Int {
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        let continuation: Int
        switch bytes[i] {
        case 0xC2...0xDF: continuation = 1
        case 0xE0: continuation = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: continuation = 2
        case 0xED: continuation = 2; high = 0x9F
        case 0xF0: continuation = 3; low = 0x90
        case 0xF1...0xF3: continuation = 3
        case 0xF4: continuation = 3; high = 0x8F
        default: throw invalidUTF8(at: i)
        }
        guard (low...high).contains(byte(at: i + 1)) else { throw invalidUTF8(at: i) }
        for k in 2..<(continuation + 1) where !(0x80...0xBF).contains(byte(at: i + k)) {
            throw invalidUTF8(at: i)
        }
        return continuation + 1
    }

    private func invalidUTF8(at i: Int) -> JSONError {
        JSONError(offset: i, reason: "invalid UTF-8 (JSON text must be UTF-8)")
    }

    private static func hex(_ unit: UInt32) -> String {
        String(unit, radix: 16, uppercase: true)
    }

    private static func printable(_ b: UInt8) -> String {
        b >= 0x21 && b < 0x7F ? String(Character(Unicode.Scalar(b))) : "\\x" + String(b, radix: 16)
    }
}
