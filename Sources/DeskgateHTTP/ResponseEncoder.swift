#if canImport(Glibc)
import Glibc
#endif

/// Serialises response heads and bodies straight into a connection's output bytes
/// (building `String`s per response was the main cost in the prototype).
enum ResponseEncoder {
    struct Framing {
        var keepAlive: Bool
        var isHEAD: Bool
        var requestID: RequestID
        /// HTTP/1.0 clients keep a connection open only when told so explicitly.
        var http10KeepAlive: Bool
        /// Over TLS: tell browsers to use HTTPS only for this host from now on.
        var hsts = false
    }

    static func encode(_ response: Response, framing: Framing, date: [UInt8], into out: inout [UInt8]) {
        appendStatusLine(response.status, into: &out)
        out.append(contentsOf: date)
        appendHeaders(response.headers, into: &out)
        // A 1xx, 204 or 304 never has a body; everything else states its length.
        let code = response.status.code
        let bodyless = code < 200 || code == 204 || code == 304
        if !bodyless {
            out.append(static: "Content-Length: ")
            appendDecimal(response.body.count, into: &out)
            out.appendCRLF()
        }
        appendCommon(framing, into: &out)
        out.appendCRLF()
        if !framing.isHEAD && !bodyless { out.append(contentsOf: response.body) }
    }

    /// The head of a streamed response: chunked for HTTP/1.1, close-delimited for HTTP/1.0.
    static func encodeStreamHead(status: HTTPStatus, headers: HTTPHeaders, chunked: Bool, framing: Framing,
                                 date: [UInt8], into out: inout [UInt8]) {
        appendStatusLine(status, into: &out)
        out.append(contentsOf: date)
        appendHeaders(headers, into: &out)
        if chunked { out.append(static: "Transfer-Encoding: chunked\r\n") }
        out.append(static: "Cache-Control: no-store\r\n")
        appendCommon(framing, into: &out)
        out.appendCRLF()
    }

    static func encodeChunk(_ bytes: [UInt8], into out: inout [UInt8]) {
        let hex = Array(String(bytes.count, radix: 16).utf8)
        out.append(contentsOf: hex)
        out.appendCRLF()
        out.append(contentsOf: bytes)
        out.appendCRLF()
    }

    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static func appendCommon(_ framing: Framing, into out: inout [UInt8]) {
        out.append(static: "X-Request-Id: ")
        framing.requestID.appendHex(to: &out)
        out.appendCRLF()
        if !framing.keepAlive { out.append(static: "Connection: close\r\n") }
        if framing.http10KeepAlive { out.append(static: "Connection: keep-alive\r\n") }
        if framing.hsts { out.append(static: "Strict-Transport-Security: max-age=31536000\r\n") }
    }

    private static func appendStatusLine(_ status: HTTPStatus, into out: inout [UInt8]) {
        if status.isStandard, let line = statusLines[status.code] {
            out.append(contentsOf: line)
            return
        }
        out.append(contentsOf: "HTTP/1.1 \(status.code) ".utf8)
        appendSanitized(status.reason, into: &out)
        out.appendCRLF()
    }

    private static func appendHeaders(_ headers: HTTPHeaders, into out: inout [UInt8]) {
        for field in headers.fields {
            // The core owns framing; a handler cannot smuggle its own.
            if isFramingHeader(field.name) { continue }
            appendSanitized(field.name, into: &out)
            out.append(UInt8(ascii: ":")); out.append(SP)
            appendSanitized(field.value, into: &out)
            out.appendCRLF()
        }
    }

    private static func isFramingHeader(_ name: String) -> Bool {
        switch name.utf8.count {
        case 10: return name.equalsIgnoringASCIICase("connection")
        case 14: return name.equalsIgnoringASCIICase("content-length")
        case 17: return name.equalsIgnoringASCIICase("transfer-encoding")
        default: return false
        }
    }

    /// CR, LF and other controls in a header would split the response: they become spaces.
    private static func appendSanitized(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            if bytes.allSatisfy(isFieldByte) {
                out.append(contentsOf: bytes)
            } else {
                for byte in bytes { out.append(isFieldByte(byte) ? byte : SP) }
            }
        }
    }

    @inline(__always) private static func isFieldByte(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte != 0x7F) || byte == HTAB
    }


    static func appendDecimal(_ value: Int, into out: inout [UInt8]) {
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var remaining = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while remaining > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }


    /// Indexed by status code; nil where no standard reason is known.
    private static let statusLines: [[UInt8]?] = (0..<600).map { code in
        let status = HTTPStatus(code: code)
        return status.isStandard ? Array("HTTP/1.1 \(code) \(status.reason)\r\n".utf8) : nil
    }
}

/// The `Date` header line, formatted once per second per loop (RFC 9110 §6.6.1: origin servers with a clock send it).
struct HTTPDateCache {
    private var second: time_t = 0
    private(set) var line: [UInt8] = []

    mutating func refresh() {
        var now = time(nil)
        if now == second { return }
        second = now
        var parts = tm()
        gmtime_r(&now, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let text = "Date: \(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT\r\n"
        line = Array(text.utf8)
    }
}

/// Identifies one request in logs and error bodies: a random per-loop prefix and a counter.
/// Kept as a number on the hot path; text is made only when someone reads it.
public struct RequestID: Sendable, Equatable, CustomStringConvertible {
    let value: UInt64

    /// 16 lowercase hex digits.
    public var description: String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            for index in 0..<16 { buffer[index] = Self.hexDigits[Int((value >> (UInt64(15 - index) * 4)) & 0xF)] }
            return 16
        }
    }

    func appendHex(to out: inout [UInt8]) {
        var digits: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            for index in 0..<16 { buffer[index] = Self.hexDigits[Int((value >> (UInt64(15 - index) * 4)) & 0xF)] }
            out.append(contentsOf: buffer)
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

struct RequestIDGenerator {
    private var counter: UInt64 = 0
    private let prefix: UInt64

    init(loopIndex: Int) {
        prefix = (UInt64.random(in: 0..<(1 << 24)) << 40) | (UInt64(loopIndex & 0xFF) << 32)
    }

    mutating func next() -> RequestID {
        counter &+= 1
        return RequestID(value: prefix | (counter & 0xFFFF_FFFF))
    }
}

extension Array where Element == UInt8 {
    /// Appends a literal without the retain/release an `[UInt8]` constant costs.
    @inline(__always) mutating func append(static text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    @inline(__always) mutating func appendCRLF() {
        append(CR)
        append(LF)
    }
}
