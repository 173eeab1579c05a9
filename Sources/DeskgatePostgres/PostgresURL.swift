/// A connection string as libpq takes it, a URI (`postgresql://user:password@host:5432/db?sslmode=require`,
/// `postgres://…` too) or a `keyword=value` list (`host=/run/pg dbname=desk password='s e'`), as far
/// as keeping its password out of log lines and errors needs.
public enum PostgresURL {
    /// What stands in for a password.
    public static let mask = "***"

    /// `url` with its password masked, for log lines: the URI's `user:password@`, a `password`
    /// query parameter, or a `password` keyword.
    public static func redacted(_ url: String) -> String {
        let bytes = Array(url.utf8)
        var output: [UInt8] = []
        var copied = 0
        for range in passwordRanges(in: bytes) {
            output.append(contentsOf: bytes[copied..<range.lowerBound])
            output.append(contentsOf: mask.utf8)
            copied = range.upperBound
        }
        output.append(contentsOf: bytes[copied...])
        return String(decoding: output, as: UTF8.self)
    }

    /// `message` with the password of `url` masked wherever it appears, as written and
    /// percent-decoded: libpq quotes parts of a connection string it cannot parse
    /// (`invalid percent-encoded token: "…"`), and those parts can be the password.
    static func scrubbing(_ message: String, passwordOf url: String) -> String {
        let bytes = Array(url.utf8)
        var text = Array(message.utf8)
        for range in passwordRanges(in: bytes) {
            let written = Array(bytes[range])
            for password in [written, percentDecoded(written)] where !password.isEmpty {
                text = masking(password, in: text)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Where the password is written in `url`, in order.
    static func passwordRanges(in url: [UInt8]) -> [Range<Int>] {
        for scheme in ["postgresql://", "postgres://"] {
            let prefix = Array(scheme.utf8)
            if url.count >= prefix.count && zip(url, prefix).allSatisfy({ lowercased($0) == $1 }) {
                return uriPasswordRanges(in: url, from: prefix.count)
            }
        }
        return keywordPasswordRanges(in: url)
    }

    /// `user:password@` before the first `/` (the last `@` there ends it, so a password with a
    /// raw `@` is masked whole), then `password=` among the query parameters.
    private static func uriPasswordRanges(in url: [UInt8], from start: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let slash = url[start...].firstIndex(of: UInt8(ascii: "/")) ?? url.count
        var queryFrom = start
        if let at = url[start..<slash].lastIndex(of: UInt8(ascii: "@")) {
            if let colon = url[start..<at].firstIndex(of: UInt8(ascii: ":")), colon + 1 < at {
                ranges.append((colon + 1)..<at)
            }
            queryFrom = at
        }
        guard let question = url[queryFrom...].firstIndex(of: UInt8(ascii: "?")) else { return ranges }
        var parameterStart = question + 1
        while parameterStart <= url.count {
            let parameterEnd = url[parameterStart...].firstIndex(of: UInt8(ascii: "&")) ?? url.count
            let parameter = url[parameterStart..<parameterEnd]
            if let equals = parameter.firstIndex(of: UInt8(ascii: "=")),
               percentDecoded(Array(url[parameterStart..<equals])) == Array("password".utf8), equals + 1 < parameterEnd {
                ranges.append((equals + 1)..<parameterEnd)
            }
            parameterStart = parameterEnd + 1
        }
        return ranges
    }

    /// `password = value` or `password='quoted \' value'` in a keyword/value list.
    private static func keywordPasswordRanges(in text: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var i = 0
        func skipSpaces() { while i < text.count && isSpace(text[i]) { i += 1 } }
        while i < text.count {
            skipSpaces()
            let keywordStart = i
            while i < text.count && !isSpace(text[i]) && text[i] != UInt8(ascii: "=") { i += 1 }
            let keyword = text[keywordStart..<i]
            skipSpaces()
            guard i < text.count && text[i] == UInt8(ascii: "=") else { break }
            i += 1
            skipSpaces()
            let valueStart: Int
            let valueEnd: Int
            if i < text.count && text[i] == UInt8(ascii: "'") {
                valueStart = i + 1
                i += 1
                while i < text.count && text[i] != UInt8(ascii: "'") { i += text[i] == UInt8(ascii: "\\") ? 2 : 1 }
                valueEnd = min(i, text.count)
                i += 1
            } else {
                valueStart = i
                while i < text.count && !isSpace(text[i]) { i += 1 }
                valueEnd = i
            }
            if keyword.elementsEqual("password".utf8) && valueStart < valueEnd { ranges.append(valueStart..<valueEnd) }
        }
        return ranges
    }

    static func percentDecoded(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
                output.append(high << 4 | low)
                i += 3
            } else {
                output.append(bytes[i])
                i += 1
            }
        }
        return output
    }

    private static func masking(_ needle: [UInt8], in haystack: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var i = 0
        while i < haystack.count {
            if i + needle.count <= haystack.count && haystack[i..<(i + needle.count)].elementsEqual(needle) {
                output.append(contentsOf: mask.utf8)
                i += needle.count
            } else {
                output.append(haystack[i])
                i += 1
            }
        }
        return output
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
