/// Values in PostgreSQL's text result format, read the way SQLite reads a column as another
/// type, so the store's row decoders get the same answers from both engines: a number is its
/// leading numeric text (fractions truncated toward zero), and text with none reads as 0.
enum PostgresText {
    /// An integer, e.g. "-42". Also numeric ("12.50" is 12), float ("1e3" is 1000, saturating
    /// at the ends of Int64) and any text with a leading integer.
    static func int64(_ text: UnsafeBufferPointer<UInt8>) -> Int64 {
        let (value, end, overflowed) = leadingInteger(text)
        if overflowed || (end < text.count && isFractionOrExponent(text[end])) {
            let real = double(text)
            if real.isNaN { return 0 }
            if real >= 9_223_372_036_854_775_807.0 { return .max }
            if real <= -9_223_372_036_854_775_808.0 { return .min }
            return Int64(real)
        }
        return value
    }

    /// A float8 or numeric value, including "Infinity", "-Infinity" and "NaN"; text that is no
    /// number reads as its leading integer.
    static func double(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        if let value = Double(String(decoding: text, as: UTF8.self)) { return value }
        return Double(leadingInteger(text).value)
    }

    /// The bytes of a bytea value: the hex format (`\x0001ff`, PostgreSQL's default output) or
    /// the older escape format (`\000`, `\\`, other bytes as themselves); nil if malformed.
    static func bytea(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        if text.count >= 2 && text[0] == UInt8(ascii: "\\") && text[1] == UInt8(ascii: "x") {
            guard text.count % 2 == 0 else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity((text.count - 2) / 2)
            var i = 2
            while i < text.count {
                guard let high = PostgresURL.hexValue(text[i]), let low = PostgresURL.hexValue(text[i + 1]) else { return nil }
                bytes.append(high << 4 | low)
                i += 2
            }
            return bytes
        }
        var bytes: [UInt8] = []
        var i = 0
        while i < text.count {
            guard text[i] == UInt8(ascii: "\\") else {
                bytes.append(text[i])
                i += 1
                continue
            }
            if i + 1 < text.count && text[i + 1] == UInt8(ascii: "\\") {
                bytes.append(UInt8(ascii: "\\"))
                i += 2
            } else if i + 3 < text.count, let value = octal(text[(i + 1)..<(i + 4)]) {
                bytes.append(value)
                i += 4
            } else {
                return nil
            }
        }
        return bytes
    }

    /// An optional sign and the digits after it; `end` is where they stop.
    private static func leadingInteger(_ text: UnsafeBufferPointer<UInt8>) -> (value: Int64, end: Int, overflowed: Bool) {
        var i = 0
        let negative = i < text.count && text[i] == UInt8(ascii: "-")
        if i < text.count && (text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+")) { i += 1 }
        var value: Int64 = 0
        var overflowed = false
        while i < text.count, text[i] >= UInt8(ascii: "0") && text[i] <= UInt8(ascii: "9") {
            let digit = Int64(text[i] - UInt8(ascii: "0"))
            // Accumulate toward the sign, so Int64.min ("-9223372036854775808") fits.
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if o1 || o2 { overflowed = true } else { value = next }
            i += 1
        }
        return (value, i, overflowed)
    }

    private static func isFractionOrExponent(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    private static func octal(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> UInt8? {
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "7") else { return nil }
            value = value * 8 + Int(digit - UInt8(ascii: "0"))
        }
        return value <= 255 ? UInt8(value) : nil
    }
}
