/// Byte-level output shared by `JSONValue.encode(into:)` and `JSONWriter`, so both produce
/// identical bytes for the same content.
enum JSONOutput {
    @inline(__always)
    static func appendLiteral(_ literal: StaticString, to out: inout [UInt8]) {
        literal.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Minimal but safe escaping: '"', '\' and control characters must be escaped (RFC 8259);
    /// U+2028 and U+2029 are escaped too because they end a line in JavaScript, and replies may
    /// be pasted into or evaluated by JS tooling. Everything else goes out as UTF-8.
    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            var i = 0
            while i < utf8.count {
                if let base = utf8.baseAddress {
                    while i &+ 8 <= utf8.count {
                        let word = WordScan.load(base, i)
                        if WordScan.hasByte(word, lessThan: 0x20) || WordScan.hasByte(word, equalTo: UInt8(ascii: "\""))
                            || WordScan.hasByte(word, equalTo: UInt8(ascii: "\\")) || WordScan.hasByte(word, equalTo: 0xE2) {
                            break
                        }
                        i &+= 8
                    }
                    guard i < utf8.count else { break }
                }
                let b = utf8[i]
                if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") && b != 0xE2 {
                    i += 1
                    continue
                }
                if b == 0xE2 {
                    // U+2028 is E2 80 A8, U+2029 is E2 80 A9; other E2 sequences pass through.
                    guard i + 2 < utf8.count, utf8[i + 1] == 0x80, utf8[i + 2] & 0xFE == 0xA8 else {
                        i += 1
                        continue
                    }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                    appendLiteral(utf8[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", to: &out)
                    i += 3
                    runStart = i
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                appendEscape(for: b, to: &out)
                i += 1
                runStart = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(for b: UInt8, to out: inout [UInt8]) {
        switch b {
        case UInt8(ascii: "\""): appendLiteral("\\\"", to: &out)
        case UInt8(ascii: "\\"): appendLiteral("\\\\", to: &out)
        case 0x0A: appendLiteral("\\n", to: &out)
        case 0x0D: appendLiteral("\\r", to: &out)
        case 0x09: appendLiteral("\\t", to: &out)
        case 0x08: appendLiteral("\\b", to: &out)
        case 0x0C: appendLiteral("\\f", to: &out)
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            appendLiteral("\\u00", to: &out)
            hexDigits.withUTF8Buffer { digits in
                out.append(digits[Int(b >> 4)])
                out.append(digits[Int(b & 0xF)])
            }
        }
    }

    /// Writes the decimal digits directly: `String(value)` would build a String per number.
    static func appendInt(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let first = out.count
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out[first..<out.count].reverse()
    }

    static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        precondition(value.isFinite, "JSON numbers must be finite, got \(value)")
        out.append(contentsOf: value.description.utf8)
    }
}
