/// Fixed-width base62 (0-9, A-Z, a-z), the alphabet secret scanners expect in tokens:
/// no punctuation, so a token survives double-click selection and URL paths unchanged.
enum Base62 {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Characters needed so every `byteCount`-byte value fits: ceil(8·n / log2 62).
    static func width(forByteCount byteCount: Int) -> Int {
        Int((Double(byteCount * 8) / 5.954196310386876).rounded(.up))
    }

    /// Big-endian bytes as exactly `width` digits (left-padded with "0").
    static func encode(_ bytes: [UInt8], width: Int) -> String {
        var number = bytes
        var digits: [UInt8] = []
        digits.reserveCapacity(width)
        // Schoolbook long division by 62; inputs are a few dozen bytes.
        while number.contains(where: { $0 != 0 }) {
            var remainder = 0
            for i in number.indices {
                let value = remainder << 8 | Int(number[i])
                number[i] = UInt8(value / 62)
                remainder = value % 62
            }
            digits.append(alphabet[remainder])
        }
        precondition(digits.count <= width, "value does not fit in \(width) base62 digits")
        while digits.count < width { digits.append(alphabet[0]) }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    static func encode(_ value: UInt64, width: Int) -> String {
        withUnsafeBytes(of: value.bigEndian) { encode(Array($0), width: width) }
    }

    static func isDigit(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "a")...UInt8(ascii: "z"):
            true
        default:
            false
        }
    }
}
