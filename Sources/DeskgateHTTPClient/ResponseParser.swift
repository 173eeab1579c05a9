import DeskgateHTTP

/// Incremental HTTP/1.1 response parser, strict where leniency would let a hostile server
/// smuggle or stream unbounded data: bounded head, bounded body (Content-Length, chunked, or
/// until close). It stops once the final head is in, so the caller can refuse a response by its
/// status or type (`head`) before any of the body is read; `beginBody` then goes on.
public struct ResponseParser {
    public static let maxHeadBytes = 8192
    static let maxChunkLineBytes = 256

    private enum State {
        case head
        /// The final head is in; the caller judges it, then calls `beginBody`.
        case awaitingBody
        case fixedBody(remaining: Int)
        case chunkedBody
        case untilClose
        case done
    }

    public let maxBodyBytes: Int
    private var state = State.head
    private var buffer: [UInt8] = []
    private var position = 0
    private var headScanned = 0
    private var chunked: ChunkedDecoder
    /// The final response head, once it is in.
    public private(set) var head: HTTPClientResponseHead?
    private var body: [UInt8] = []

    public init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        chunked = ChunkedDecoder(limits: ChunkedDecoder.Limits(
            maxLineBytes: Self.maxChunkLineBytes, maxTrailerBytes: Self.maxHeadBytes, maxBodyBytes: maxBodyBytes))
    }

    /// The response once complete (after `feed` completed it, or `finish` at end of stream).
    public var response: HTTPClientResponse? {
        guard case .done = state, let head else { return nil }
        return HTTPClientResponse(head: head, body: body)
    }

    /// Consumes bytes, as far as the head (until `beginBody`) or the end of the response.
    public mutating func feed(_ bytes: [UInt8]) throws(HTTPClientError) {
        buffer.append(contentsOf: bytes)
        try advance()
        compact()
    }

    /// Decides the body's framing from the head and reads what is already buffered.
    public mutating func beginBody() throws(HTTPClientError) {
        guard case .awaitingBody = state, let head else { throw .malformedResponse }
        // We never ask for a content coding: the body must arrive as the bytes that are capped.
        if let encoding = head.header("content-encoding"), encoding.lowercased() != "identity" { throw .malformedResponse }
        let transferEncoding = head.header("transfer-encoding")
        let contentLength = head.header("content-length")
        if let transferEncoding {
            // Both framings at once is how requests get smuggled; no honest server needs it.
            guard contentLength == nil, !head.isHTTP10, transferEncoding.lowercased() == "chunked" else { throw .malformedResponse }
            chunked.restart()
            state = .chunkedBody
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
        try advance()
        compact()
    }

    /// The peer closed the connection: fine only for a body delimited by the close.
    public mutating func finish() throws(HTTPClientError) {
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

    private mutating func advance() throws(HTTPClientError) {
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
            case .awaitingBody:
                return
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
            case .chunkedBody:
                switch chunked.decode(buffer, from: &position, into: &body) {
                case .needMore: return
                case .complete: state = .done
                case .failure(let error): throw Self.clientError(error)
                }
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

    private static func clientError(_ error: ChunkedBodyError) -> HTTPClientError {
        switch error {
        case .bodyTooLarge, .trailerSectionTooLarge: return .tooLarge
        case .sizeLineTooLong, .bareLFInSizeLine, .invalidSize, .missingCRLFAfterData, .bareLFInTrailers, .invalidTrailer:
            return .malformedResponse
        }
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

    private mutating func parseHead(_ bytes: [UInt8]) throws(HTTPClientError) {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformedResponse }
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
        switch code {
        case 101:
            // We never ask to switch protocols.
            throw .malformedResponse
        case 100..<200:
            // Interim responses (103 Early Hints) precede the real one.
            return
        default:
            head = HTTPClientResponseHead(status: code, isHTTP10: parts[0] == "HTTP/1.0", headers: fields)
            state = .awaitingBody
        }
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
