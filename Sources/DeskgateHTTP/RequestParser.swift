#if canImport(Glibc)
import Glibc
#endif

/// An incremental HTTP/1.1 request parser over a connection's input buffer.
///
/// It is a value with no I/O: the connection appends bytes to its buffer and calls
/// `parse(_:from:)`, which advances the read index past what it consumed. Everything
/// ambiguous is refused rather than guessed (RFC 9112 §6.3, §11.2: request smuggling).
struct RequestParser {
    enum Outcome {
        /// Not enough bytes yet.
        case needMore
        /// The head asked for `100 Continue` and no body bytes have arrived: say it, then parse again.
        case continueExpected
        case request(RequestHead, body: [UInt8])
        case failure(HTTPError)
    }

    private enum State {
        case head
        case fixedBody(remaining: Int)
        case chunkedBody
    }

    let limits: ParserLimits
    private var state: State = .head
    private var head: RequestHead?
    private var body: [UInt8] = []
    /// Head scanning resumes here (relative to the read index, which stays put until the head is complete).
    private var scanOffset = 0
    /// Start offsets of the lines seen so far in the current head (relative to the read index).
    private var lineStarts: [Int] = []
    private var continueAnswered = false
    /// Where a chunked body's framing stands; used only in `.chunkedBody`.
    private var chunked: ChunkedDecoder

    init(limits: ParserLimits) {
        self.limits = limits
        chunked = ChunkedDecoder(limits: ChunkedDecoder.Limits(
            maxLineBytes: limits.maxChunkLineBytes, maxTrailerBytes: limits.maxHeaderBytes, maxBodyBytes: limits.maxBodyBytes))
        lineStarts.reserveCapacity(16)
    }

    /// True when no request is partly parsed (used to tell an idle connection from a slow one).
    var isBetweenRequests: Bool {
        if case .head = state { return scanOffset == 0 }
        return false
    }

    mutating func parse(_ buffer: [UInt8], from index: inout Int) -> Outcome {
        while true {
            switch state {
            case .head:
                switch parseHead(buffer, from: &index) {
                case .failure(let error): return .failure(error)
                case .needMore: return .needMore
                case .complete: break
                }
                guard let head else { return .failure(HTTPError(.badRequest, "no request head")) }
                switch head.framing {
                case .none, .length(0):
                    return finish()
                case .length(let length):
                    state = .fixedBody(remaining: length)
                case .chunked:
                    chunked.restart()
                    state = .chunkedBody
                }
                if head.expectContinue && !continueAnswered && index == buffer.count {
                    continueAnswered = true
                    return .continueExpected
                }

            case .fixedBody(let remaining):
                let available = buffer.count - index
                if available == 0 { return .needMore }
                let take = min(available, remaining)
                if body.isEmpty && take == remaining {
                    body = Array(buffer[index..<index + take])
                } else {
                    body.append(contentsOf: buffer[index..<index + take])
                }
                index += take
                if take == remaining { return finish() }
                state = .fixedBody(remaining: remaining - take)
                return .needMore

            case .chunkedBody:
                switch chunked.decode(buffer, from: &index, into: &body) {
                case .needMore: return .needMore
                case .complete: return finish()
                case .failure(let error): return .failure(httpError(error))
                }
            }
        }
    }

    /// The status and reason a refused chunked body is answered with.
    private func httpError(_ error: ChunkedBodyError) -> HTTPError {
        switch error {
        case .sizeLineTooLong: return HTTPError(.badRequest, "chunk size line too long")
        case .bareLFInSizeLine: return HTTPError(.badRequest, "bare LF in chunk size line")
        case .invalidSize: return HTTPError(.badRequest, "invalid chunk size")
        case .bodyTooLarge: return HTTPError(.contentTooLarge, "request body exceeds \(limits.maxBodyBytes) bytes")
        case .missingCRLFAfterData: return HTTPError(.badRequest, "missing CRLF after chunk data")
        case .trailerSectionTooLarge: return HTTPError(.headerFieldsTooLarge, "trailer section too large")
        case .bareLFInTrailers: return HTTPError(.badRequest, "bare LF in trailer section")
        case .invalidTrailer(let reason): return HTTPError(.badRequest, reason)
        }
    }

    private mutating func finish() -> Outcome {
        guard let head else { return .failure(HTTPError(.badRequest, "no request head")) }
        let outcome = Outcome.request(head, body: body)
        self.head = nil
        body = []
        state = .head
        continueAnswered = false
        return outcome
    }

    // MARK: Head

    private enum HeadProgress {
        case needMore
        /// `self.head` is set and the read index is past the head.
        case complete
        case failure(HTTPError)
    }

    private mutating func parseHead(_ buffer: [UInt8], from index: inout Int) -> HeadProgress {
        if scanOffset == 0 {
            // RFC 9112 §2.2: ignore empty lines before the request line.
            while buffer.count - index >= 2 && buffer[index] == CR && buffer[index + 1] == LF { index += 2 }
            if index == buffer.count { return .needMore }
            lineStarts.removeAll(keepingCapacity: true)
            lineStarts.append(0)
        }
        var position = index + scanOffset
        let end = buffer.count
        while position < end {
            guard let newline = Self.indexOfLF(buffer, from: position, to: end) else {
                position = end
                break
            }
            let lineStart = index + lineStarts[lineStarts.count - 1]
            // The size limits before anything else about the line: had the bytes come in smaller
            // reads, the check on the incomplete head below would have refused them before this
            // line's end arrived, and the answer must not depend on where reads end (fuzzed).
            if let refusal = sizeRefusal(buffered: newline, index: index) { return .failure(refusal) }
            if newline == lineStart || buffer[newline - 1] != CR {
                return .failure(HTTPError(.badRequest, "line not terminated by CRLF"))
            }
            let lineLength = newline - 1 - lineStart
            if lineStarts.count == 1 && lineLength == 0 {
                // An empty line before the request line (it arrived in pieces): skip it.
                index = newline + 1
                position = index
                continue
            }
            // The empty line that ends the head. Line and section sizes were checked above.
            if lineLength == 0 {
                let result = completeHead(buffer, headStart: index, headEnd: newline + 1)
                index = newline + 1
                scanOffset = 0
                switch result {
                case .failure(let error): return .failure(error)
                case .success(let parsed):
                    head = parsed
                    return .complete
                }
            }
            if lineStarts.count > limits.maxHeaderCount + 1 {
                return .failure(HTTPError(.headerFieldsTooLarge, "more than \(limits.maxHeaderCount) header fields"))
            }
            lineStarts.append(newline + 1 - index)
            position = newline + 1
        }
        scanOffset = position - index
        // Limits on what is still incomplete, so a client cannot make us buffer without bound.
        if let refusal = sizeRefusal(buffered: end, index: index) { return .failure(refusal) }
        return .needMore
    }

    /// The limit an incomplete head already breaks with the bytes before `buffered`. One byte of
    /// slack each: the CR of a line (or of the head's closing empty line) may be buffered while
    /// its LF is not, and a request line or header section of exactly the limit is allowed.
    private func sizeRefusal(buffered end: Int, index: Int) -> HTTPError? {
        if lineStarts.count == 1 {
            if end - (index + lineStarts[0]) > limits.maxRequestLineBytes + 1 {
                return HTTPError(.uriTooLong, "request line exceeds \(limits.maxRequestLineBytes) bytes")
            }
        } else if end - (index + lineStarts[1]) > limits.maxHeaderBytes + 1 {
            return HTTPError(.headerFieldsTooLarge, "header section exceeds \(limits.maxHeaderBytes) bytes")
        }
        return nil
    }

    private func completeHead(_ buffer: [UInt8], headStart: Int, headEnd: Int) -> Result<RequestHead, HTTPError> {
        // The section's size was checked as its lines were found (`sizeRefusal`).
        // Parse over raw bytes: no array-slice retains or bounds checks per byte. The header
        // section is copied once into the block the request keeps; values become Strings only
        // when someone asks for them (see HTTPHeaders).
        let sectionStart = headStart + lineStarts[1]
        let parsed: Result<(RequestLine, HTTPHeaders), HTTPError> = buffer.withUnsafeBufferPointer { raw in
            let requestLine: RequestLine
            switch Self.parseRequestLine(raw[headStart..<(headStart + lineStarts[1] - 2)]) {
            case .failure(let error): return .failure(error)
            case .success(let line): requestLine = line
            }
            // The block is made first, with room for every field's span, and filled in place.
            let fieldCount = lineStarts.count - 2
            let block = ParsedHeaderBlock.make(spanCount: fieldCount,
                                               section: UnsafeBufferPointer(rebasing: raw[sectionStart..<headEnd]))
            for i in 1..<(lineStarts.count - 1) {
                let start = headStart + lineStarts[i]
                let stop = headStart + lineStarts[i + 1] - 2
                switch Self.parseField(raw[start..<stop]) {
                case .failure(let error): return .failure(error)
                case .success(let field):
                    block.setSpan(i - 1, ParsedHeaderBlock.Span(
                        nameStart: Int32(start - sectionStart), nameLength: Int32(field.nameEnd - start),
                        valueStart: Int32(field.valueStart - sectionStart), valueLength: Int32(field.valueEnd - field.valueStart)))
                }
            }
            // Names lowercased in the copy: lookups then compare bytes.
            block.withMutableBytes { copy in
                for i in 0..<fieldCount {
                    let span = block.span(i)
                    for k in Int(span.nameStart)..<Int(span.nameStart + span.nameLength) {
                        let byte = copy[k]
                        if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { copy[k] = byte | 0x20 }
                    }
                }
            }
            return .success((requestLine, HTTPHeaders(parsed: block)))
        }
        guard case .success(let (requestLine, headers)) = parsed else {
            if case .failure(let error) = parsed { return .failure(error) }
            return .failure(HTTPError(.badRequest, "malformed request head"))
        }
        return HeadSemantics.interpret(requestLine, headers: headers, limits: limits)
    }

    // MARK: Lines and fields

    struct RequestLine {
        var method: String
        var target: String
        var version: HTTPVersion
    }

    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    static func parseRequestLine(_ line: Bytes) -> Result<RequestLine, HTTPError> {
        guard let firstSpace = line.firstIndex(of: SP) else {
            return .failure(HTTPError(.badRequest, "malformed request line"))
        }
        let method = line[line.startIndex..<firstSpace]
        guard !method.isEmpty, method.allSatisfy(isTokenByte) else {
            return .failure(HTTPError(.badRequest, "malformed method"))
        }
        let afterMethod = line[(firstSpace + 1)...]
        guard let secondSpace = afterMethod.firstIndex(of: SP) else {
            return .failure(HTTPError(.badRequest, "malformed request line"))
        }
        let target = afterMethod[afterMethod.startIndex..<secondSpace]
        guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(HTTPError(.badRequest, "malformed request target"))
        }
        guard let first = target.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "*")
                || target.starts(with: "http://".utf8) || target.starts(with: "https://".utf8) else {
            return .failure(HTTPError(.badRequest, "unsupported request target form"))
        }
        let version = line[(secondSpace + 1)...]
        // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3).
        let v = version.startIndex
        guard version.count == 8, version[v] == UInt8(ascii: "H"), version[v + 1] == UInt8(ascii: "T"),
              version[v + 2] == UInt8(ascii: "T"), version[v + 3] == UInt8(ascii: "P"), version[v + 4] == UInt8(ascii: "/"),
              isDigit(version[v + 5]), version[v + 6] == UInt8(ascii: "."), isDigit(version[v + 7]) else {
            return .failure(HTTPError(.badRequest, "malformed HTTP version"))
        }
        let major = version[v + 5] - UInt8(ascii: "0"), minor = version[v + 7] - UInt8(ascii: "0")
        guard major == 1 else {
            return .failure(HTTPError(.httpVersionNotSupported, "only HTTP/1.0 and HTTP/1.1 are supported"))
        }
        return .success(RequestLine(method: String(decoding: method, as: UTF8.self),
                                    target: String(decoding: target, as: UTF8.self),
                                    version: minor == 0 ? .http10 : .http11))
    }

    /// Where a valid field line's name ends and its value (without surrounding whitespace)
    /// lies, as indices into the line's buffer.
    struct FieldBounds {
        let nameEnd: Int
        let valueStart: Int
        let valueEnd: Int
    }

    static func parseField(_ line: Bytes) -> Result<FieldBounds, HTTPError> {
        guard let first = line.first else { return .failure(HTTPError(.badRequest, "empty header line")) }
        if first == SP || first == HTAB {
            return .failure(HTTPError(.badRequest, "obsolete line folding is not accepted"))
        }
        var colon = line.startIndex
        while colon < line.endIndex && isTokenByte(line[colon]) { colon += 1 }
        guard colon < line.endIndex, line[colon] == UInt8(ascii: ":") else {
            // Includes whitespace between name and colon (RFC 9112 §5.1: MUST reject).
            if !line[colon...].contains(UInt8(ascii: ":")) {
                return .failure(HTTPError(.badRequest, "header field without a colon"))
            }
            return .failure(HTTPError(.badRequest, "invalid header field name"))
        }
        guard colon > line.startIndex else { return .failure(HTTPError(.badRequest, "invalid header field name")) }
        var valueStart = colon + 1, valueEnd = line.endIndex
        while valueStart < valueEnd && (line[valueStart] == SP || line[valueStart] == HTAB) { valueStart += 1 }
        while valueEnd > valueStart && (line[valueEnd - 1] == SP || line[valueEnd - 1] == HTAB) { valueEnd -= 1 }
        // Eight bytes at a time while no byte is below 0x20 or DEL (tokens and bearer strings
        // are long runs of plain bytes), then byte by byte.
        var i = valueStart
        if let base = line.base.baseAddress {
            while i &+ 8 <= valueEnd {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if fieldWordNeedsCheck(word) { break }
                i &+= 8
            }
        }
        while i < valueEnd {
            let byte = line[i]
            if !(byte == HTAB || (byte >= 0x20 && byte != 0x7F)) {
                return .failure(HTTPError(.badRequest, "control character in header field value"))
            }
            i += 1
        }
        return .success(FieldBounds(nameEnd: colon, valueStart: valueStart, valueEnd: valueEnd))
    }

    static func indexOfLF(_ buffer: [UInt8], from: Int, to end: Int) -> Int? {
        if from >= end { return nil }
        return buffer.withUnsafeBufferPointer { raw -> Int? in
            guard let base = raw.baseAddress else { return nil }
            guard let found = memchr(base + from, Int32(LF), end - from) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }
}

let CR: UInt8 = 0x0D
let LF: UInt8 = 0x0A
let SP: UInt8 = 0x20
let HTAB: UInt8 = 0x09

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

/// Whether some byte of `word` is below 0x20 or is DEL (0x7F): the bytes a field value may not
/// hold, HTAB excepted (the byte loop sorts that out). The "has zero byte" bit tricks.
@inline(__always) func fieldWordNeedsCheck(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
    let below = (word &- ones &* 0x20) & ~word & high
    let del = word ^ (ones &* 0x7F)
    return below | ((del &- ones) & ~del & high) != 0
}

/// tchar (RFC 9110 §5.6.2), as a bit set over the 128 ASCII bytes: no table load (a global
/// array cost a lazy-initialisation check and a bounds check per byte).
@inline(__always) func isTokenByte(_ byte: UInt8) -> Bool {
    // Bits for ! # $ % & ' * + - . 0-9 in 0x00-0x3F, A-Z ^ _ ` a-z | ~ in 0x40-0x7F.
    let low: UInt64 = 0x03FF_6CFA_0000_0000
    let high: UInt64 = 0x57FF_FFFF_C7FF_FFFE
    if byte < 64 { return (low >> UInt64(byte)) & 1 != 0 }
    if byte < 128 { return (high >> UInt64(byte - 64)) & 1 != 0 }
    return false
}
