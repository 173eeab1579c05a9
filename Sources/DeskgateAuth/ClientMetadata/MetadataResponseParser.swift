/// Incremental HTTP/1.1 response parser for the metadata fetch, strict where leniency would
/// let a hostile server smuggle or stream unbounded data: bounded head, bounded body
/// (Content-Length, chunked, or until close), status and content type judged as soon as the
/// head is in, so an oversized or redirected answer is refused without reading it.
struct MetadataResponseParser {
    static let maxHeadBytes = 8192
    static let maxChunkLineBytes = 256

    private enum State {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case done
    }

    let maxBodyBytes: Int
    private var state = State.head
    private var buffer: [UInt8] = []
    private var position = 0
    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var body: [UInt8] = []
    private var trailerBytes = 0
    private var headScanned = 0

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// The response once complete (after `feed` returned true, or `finish` at EOF).
    var response: MetadataResponse? {
        guard case .done = state else { return nil }
        return MetadataResponse(status: status, headers: headers, body: body)
    }

    /// Consumes bytes; returns true once the response is complete.
    mutating func feed(_ bytes: [UInt8]) throws(ClientMetadataError) -> Bool {
        buffer.append(contentsOf: bytes)
        try advance()
        compact()
        if case .done = state { return true }
        return false
    }

    /// The peer closed the connection: fine only for a body delimited by the close.
    mutating func finish() throws(ClientMetadataError) {
        switch state {
        case .done: return
        case .untilClose: state = .done
        default: throw .malformedResponse
        }
    }

    private mutating func compact() {
        if position > 4096 {
            buffer.removeFirst(position)
            headScanned = max(0, headScanned - position)
            position = 0
        }
    }

    private mutating func advance() throws(ClientMetadataError) {
        while true {
            switch state {
            case .head:
                guard let end = find([13, 10, 13, 10], from: max(position, headScanned)) else {
                    if buffer.count - position > Self.maxHeadBytes { throw .tooLarge }
                    // Resume the search where it stopped (less the terminator's length) next time.
                    headScanned = max(position, buffer.count - 3)
                    return
                }
                guard end + 4 - position <= Self.maxHeadBytes else { throw .tooLarge }
                let head = Array(buffer[position..<end])
                position = end + 4
                try parseHead(head)
            case .fixedBody(let remaining):
                let take = min(remaining, buffer.count - position)
                body.append(contentsOf: buffer[position..<position + take])
                position += take
                if remaining - take == 0 {
                    state = .done
                } else {
                    state = .fixedBody(remaining: remaining - take)
                    return
                }
            case .chunkSize:
                guard let line = try takeLine(limit: Self.maxChunkLineBytes) else { return }
                let sizeText = line.prefix { $0 != UInt8(ascii: ";") }
                guard !sizeText.isEmpty, sizeText.count <= 8, let size = Int(String(decoding: sizeText, as: UTF8.self), radix: 16) else {
                    throw .malformedResponse
                }
                if size == 0 {
                    state = .trailers
                } else {
                    guard body.count + size <= maxBodyBytes else { throw .tooLarge }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let take = min(remaining, buffer.count - position)
                body.append(contentsOf: buffer[position..<position + take])
                position += take
                if remaining - take == 0 {
                    state = .chunkDataEnd
                } else {
                    state = .chunkData(remaining: remaining - take)
                    return
                }
            case .chunkDataEnd:
                guard buffer.count - position >= 2 else { return }
                guard buffer[position] == 13, buffer[position + 1] == 10 else { throw .malformedResponse }
                position += 2
                state = .chunkSize
            case .trailers:
                guard let line = try takeLine(limit: Self.maxHeadBytes) else { return }
                trailerBytes += line.count + 2
                guard trailerBytes <= Self.maxHeadBytes else { throw .tooLarge }
                if line.isEmpty { state = .done }
            case .untilClose:
                body.append(contentsOf: buffer[position...])
                position = buffer.count
                guard body.count <= maxBodyBytes else { throw .tooLarge }
                return
            case .done:
                // Anything after the response is ignored: the connection is closed next.
                position = buffer.count
                return
            }
        }
    }

    /// A CRLF-terminated line without its terminator, or nil when not all of it has arrived.
    private mutating func takeLine(limit: Int) throws(ClientMetadataError) -> [UInt8]? {
        guard let end = find([13, 10], from: position) else {
            if buffer.count - position > limit { throw .malformedResponse }
            return nil
        }
        guard end - position <= limit else { throw .malformedResponse }
        let line = Array(buffer[position..<end])
        position = end + 2
        return line
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard buffer.count - start >= needle.count else { return nil }
        var index = start
        while index + needle.count <= buffer.count {
            if buffer[index] == needle[0] && buffer[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private mutating func parseHead(_ head: [UInt8]) throws(ClientMetadataError) {
        guard let text = String(validating: head, as: UTF8.self) else { throw .malformedResponse }
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "HTTP/1.1" || parts[0] == "HTTP/1.0",
              parts[1].count == 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let code = Int(parts[1]) else {
            throw .malformedResponse
        }
        var fields: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw .malformedResponse }
            let name = line[..<colon]
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else { throw .malformedResponse }
            let value = line[line.index(after: colon)...].trimmingHTTPWhitespace()
            guard !value.utf8.contains(where: { $0 < 0x20 && $0 != 9 }) else { throw .malformedResponse }
            fields.append((name.lowercased(), value))
        }
        status = code
        headers = fields
        try judgeHead(isHTTP10: parts[0] == "HTTP/1.0")
    }

    /// Decides from the head alone whether to read the body, and how.
    private mutating func judgeHead(isHTTP10: Bool) throws(ClientMetadataError) {
        switch status {
        case 101: throw .malformedResponse
        case 100..<200:
            // Interim responses (103 Early Hints) precede the real one.
            headers = []
            state = .head
            return
        case 300..<400: throw .redirected
        case 200: break
        default: throw .unexpectedStatus(status)
        }
        let response = MetadataResponse(status: status, headers: headers, body: [])
        guard let contentType = response.header("content-type"), Self.isJSONMediaType(contentType) else { throw .notJSON }
        if let encoding = response.header("content-encoding"), encoding.lowercased() != "identity" { throw .malformedResponse }

        let transferEncoding = response.header("transfer-encoding")
        let contentLength = response.header("content-length")
        if let transferEncoding {
            // Both framings at once is how requests get smuggled; no honest server needs it.
            guard contentLength == nil, !isHTTP10, transferEncoding.lowercased() == "chunked" else { throw .malformedResponse }
            state = .chunkSize
        } else if let contentLength {
            let values = Set(contentLength.split(separator: ",").map { $0.trimmingHTTPWhitespace() })
            guard values.count == 1, let only = values.first, !only.isEmpty, only.count <= 12,
                  only.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let length = Int(only) else {
                throw .malformedResponse
            }
            guard length <= maxBodyBytes else { throw .tooLarge }
            state = length == 0 ? .done : .fixedBody(remaining: length)
        } else {
            state = .untilClose
        }
    }

    /// `application/json` or a structured-syntax `application/*+json`, any parameters.
    static func isJSONMediaType(_ value: String) -> Bool {
        let type = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingHTTPWhitespace().lowercased() } ?? ""
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP optional whitespace).
    func trimmingHTTPWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
