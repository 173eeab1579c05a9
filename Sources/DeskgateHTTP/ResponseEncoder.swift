#if canImport(Glibc)
import Glibc
#endif

/// Serialises response heads and bodies straight into a connection's output bytes
/// (building `String`s per response was the main cost in the prototype).
enum ResponseEncoder {
    struct Framing {
        var keepAlive: Bool
        var isHEAD: Bool
        var requestID: String
        /// HTTP/1.0 clients keep a connection open only when told so explicitly.
        var http10KeepAlive: Bool
    }

    static func encode(_ response: Response, framing: Framing, date: [UInt8], into out: inout [UInt8]) {
        appendStatusLine(response.status, into: &out)
        out.append(contentsOf: date)
        appendHeaders(response.headers, into: &out)
        // A 1xx, 204 or 304 never has a body; everything else states its length.
        let code = response.status.code
        let bodyless = code < 200 || code == 204 || code == 304
        if !bodyless {
            out.append(contentsOf: contentLengthPrefix)
            appendDecimal(response.body.count, into: &out)
            out.append(contentsOf: crlf)
        }
        appendCommon(framing, into: &out)
        out.append(contentsOf: crlf)
        if !framing.isHEAD && !bodyless { out.append(contentsOf: response.body) }
    }

    /// The head of a streamed response: chunked for HTTP/1.1, close-delimited for HTTP/1.0.
    static func encodeStreamHead(status: HTTPStatus, headers: HTTPHeaders, chunked: Bool, framing: Framing,
                                 date: [UInt8], into out: inout [UInt8]) {
        appendStatusLine(status, into: &out)
        out.append(contentsOf: date)
        appendHeaders(headers, into: &out)
        if chunked { out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8) }
        out.append(contentsOf: "Cache-Control: no-store\r\n".utf8)
        appendCommon(framing, into: &out)
        out.append(contentsOf: crlf)
    }

    static func encodeChunk(_ bytes: [UInt8], into out: inout [UInt8]) {
        let hex = Array(String(bytes.count, radix: 16).utf8)
        out.append(contentsOf: hex)
        out.append(contentsOf: crlf)
        out.append(contentsOf: bytes)
        out.append(contentsOf: crlf)
    }

    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static func appendCommon(_ framing: Framing, into out: inout [UInt8]) {
        out.append(contentsOf: requestIDPrefix)
        out.append(contentsOf: framing.requestID.utf8)
        out.append(contentsOf: crlf)
        if !framing.keepAlive { out.append(contentsOf: connectionClose) }
        if framing.http10KeepAlive { out.append(contentsOf: connectionKeepAlive) }
    }

    private static func appendStatusLine(_ status: HTTPStatus, into out: inout [UInt8]) {
        if status.code >= 100 && status.code < 600, let line = statusLines[status.code], status.reason == HTTPStatus(code: status.code).reason {
            out.append(contentsOf: line)
            return
        }
        out.append(contentsOf: "HTTP/1.1 \(status.code) \(sanitized(status.reason))\r\n".utf8)
    }

    private static func appendHeaders(_ headers: HTTPHeaders, into out: inout [UInt8]) {
        for field in headers.fields {
            let lower = field.name.lowercased()
            // The core owns framing; a handler cannot smuggle its own.
            if lower == "content-length" || lower == "transfer-encoding" || lower == "connection" { continue }
            out.append(contentsOf: sanitized(field.name).utf8)
            out.append(contentsOf: colonSpace)
            out.append(contentsOf: sanitized(field.value).utf8)
            out.append(contentsOf: crlf)
        }
    }

    /// CR, LF and other controls in a header would split the response: replace them.
    private static func sanitized(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }) { return text }
        return String(decoding: text.utf8.map { $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 ? $0 : 0x20 }, as: UTF8.self)
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

    private static let crlf: [UInt8] = [CR, LF]
    private static let colonSpace: [UInt8] = [UInt8(ascii: ":"), SP]
    private static let contentLengthPrefix = Array("Content-Length: ".utf8)
    private static let requestIDPrefix = Array("X-Request-Id: ".utf8)
    private static let connectionClose = Array("Connection: close\r\n".utf8)
    private static let connectionKeepAlive = Array("Connection: keep-alive\r\n".utf8)

    private static let statusLines: [Int: [UInt8]] = {
        var lines: [Int: [UInt8]] = [:]
        for code in 100..<600 {
            let status = HTTPStatus(code: code)
            if !status.reason.hasPrefix("Status ") {
                lines[code] = Array("HTTP/1.1 \(code) \(status.reason)\r\n".utf8)
            }
        }
        return lines
    }()
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

/// Request ids: a random per-loop prefix and a counter, as 16 hex digits. Unique enough to
/// find one request in the logs, cheap enough to give to every request.
struct RequestIDGenerator {
    private var counter: UInt64 = 0
    private let prefix: UInt64

    init(loopIndex: Int) {
        prefix = (UInt64.random(in: 0..<(1 << 24)) << 40) | (UInt64(loopIndex & 0xFF) << 32)
    }

    mutating func next() -> String {
        counter &+= 1
        let value = prefix | (counter & 0xFFFF_FFFF)
        let hex = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 {
            bytes[15 - index] = hex[Int((value >> (UInt64(index) * 4)) & 0xF)]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
