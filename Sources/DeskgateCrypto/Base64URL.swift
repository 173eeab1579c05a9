/// Unpadded base64url (RFC 4648 §5) as JOSE uses it (RFC 7515 §2).
///
/// Decoding is strict: padding, whitespace, the standard-alphabet `+` and `/`, an
/// impossible length and non-zero unused trailing bits are all rejected, so each byte
/// string has exactly one accepted encoding and tokens cannot be altered without
/// changing the bytes they carry.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((input.count * 4 + 2) / 3)
        var i = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        switch input.count - i {
        case 1:
            let n = UInt32(input[i]) << 16
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
        case 2:
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
        default:
            break
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func encode(_ string: String) -> String {
        encode(Array(string.utf8))
    }

    /// The bytes of a canonical unpadded base64url string, or nil.
    public static func decode(_ string: String) -> [UInt8]? {
        decode(utf8: Array(string.utf8))
    }

    public static func decode(_ string: Substring) -> [UInt8]? {
        decode(utf8: Array(string.utf8))
    }

    static func decode(utf8 chars: some Collection<UInt8>) -> [UInt8]? {
        let remainder = chars.count % 4
        // One leftover character carries only 6 bits: no byte string encodes to that.
        guard remainder != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for c in chars {
            let v = decodeTable[Int(c)]
            guard v != 0xff else { return nil }
            accumulator = accumulator << 6 | UInt32(v)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }
        // Leftover bits (2 or 4) are padding inside the last character; a canonical
        // encoder leaves them zero, so anything else is a second spelling of the same bytes.
        guard accumulator == 0 else { return nil }
        return out
    }
}
