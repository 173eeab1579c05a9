/// Byte-level output shared by `JSONValue.encode(into:)` and `JSONWriter`, so both produce
/// identical bytes for the same content.
enum JSONOutput {
    @inline(__always)
    static func appendLiteral(_ literal: StaticString, to out: inout some JSONByteOutput) {
        literal.withUTF8Buffer { out.appendBytes($0) }
    }

    /// Minimal but safe escaping: '"', '\' and control characters must be escaped (RFC 8259);
    /// U+2028 and U+2029 are escaped too because they end a line in JavaScript, and replies may
    /// be pasted into or evaluated by JS tooling. Everything else goes out as UTF-8.
    static func appendString(_ string: String, to out: inout some JSONByteOutput) {
        out.append(UInt8(ascii: "\""))
        appendStringContent(string, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// The escaped characters of `string` without the quotes, so a string value can be written
    /// in pieces (`JSONWriter.beginString`, `stringPart`, `endString`).
    static func appendStringContent(_ string: String, to out: inout some JSONByteOutput) {
        // Read in place where the text is contiguous (always, for native strings): a mutable
        // copy for `withUTF8` cost a retain and a release per string, ~20 strings a reply.
        if string.utf8.withContiguousStorageIfAvailable({ appendEscaped($0, to: &out) }) != nil { return }
        var copy = string
        copy.withUTF8 { appendEscaped($0, to: &out) }
    }

    private static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout some JSONByteOutput) {
        let count = utf8.count
        var runStart = 0  // first byte not yet copied out
        var i = 0
        while true {
            // Skip plain bytes 8 at a time, then one at a time up to the next candidate.
            if let base = utf8.baseAddress {
                while i &+ 8 <= count {
                    let word = WordScan.load(base, i)
                    if WordScan.hasByte(word, lessThan: 0x20) || WordScan.hasByte(word, equalTo: UInt8(ascii: "\""))
                        || WordScan.hasByte(word, equalTo: UInt8(ascii: "\\")) || WordScan.hasByte(word, equalTo: 0xE2) {
                        break
                    }
                    i &+= 8
                }
            }
            while i < count {
                let b = utf8[i]
                if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == 0xE2 { break }
                i &+= 1
            }
            guard i < count else { break }
            let b = utf8[i]
            if b == 0xE2 {
                // U+2028 is E2 80 A8, U+2029 is E2 80 A9; other E2 sequences pass through.
                guard i + 2 < count, utf8[i + 1] == 0x80, utf8[i + 2] & 0xFE == 0xA8 else {
                    i += 1
                    continue
                }
                out.appendBytes(UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                appendLiteral(utf8[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", to: &out)
                i += 3
            } else {
                out.appendBytes(UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                appendEscape(for: b, to: &out)
                i += 1
            }
            runStart = i
        }
        out.appendBytes(UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
    }

    private static func appendEscape(for b: UInt8, to out: inout some JSONByteOutput) {
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
    static func appendInt(_ value: Int, to out: inout some JSONByteOutput) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // Digits come out last-first: fill a small stack buffer from its end.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.appendBytes(UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    static func appendDouble(_ value: Double, to out: inout some JSONByteOutput) {
        precondition(value.isFinite, "JSON numbers must be finite, got \(value)")
        var text = value.description
        text.withUTF8 { out.appendBytes($0) }
    }
}
