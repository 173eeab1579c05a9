
/// Decodes a chunked body (RFC 9112 §7.1) from a byte buffer, incrementally: a value with no
/// I/O, shared by the server's request parser and the outbound client's response parser, so
/// both read chunk sizes, extensions and trailers by the same strict rules.
///
/// The caller owns the buffer, its read index and the body; the decoder keeps only where it is
/// within the chunk framing, so the caller may drop consumed bytes between calls.
package struct ChunkedDecoder {
    package struct Limits: Equatable, Sendable {
        /// Bytes before the LF of one chunk-size line, extensions included.
        package var maxLineBytes: Int
        /// The whole trailer section, its closing empty line excluded.
        package var maxTrailerBytes: Int
        /// The decoded body.
        package var maxBodyBytes: Int

        package init(maxLineBytes: Int, maxTrailerBytes: Int, maxBodyBytes: Int) {
            self.maxLineBytes = maxLineBytes
            self.maxTrailerBytes = maxTrailerBytes
            self.maxBodyBytes = maxBodyBytes
        }
    }

    package enum Progress: Equatable {
        /// Every byte in the buffer is consumed and the body is not complete yet.
        case needMore
        /// The body and its trailer section are complete; the index is just past them.
        case complete
        case failure(ChunkedBodyError)
    }

    private enum State {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers(bytes: Int)
    }

    package let limits: Limits
    private var state = State.size

    package init(limits: Limits) {
        self.limits = limits
    }

    /// Ready for the next chunked body.
    package mutating func restart() {
        state = .size
    }

    /// Decodes from `buffer[index...]`, appending chunk data to `body` and advancing `index`
    /// past what it consumed.
    package mutating func decode(_ buffer: [UInt8], from index: inout Int, into body: inout [UInt8]) -> Progress {
        while true {
            switch state {
            case .size:
                let lineEnd: Int
                switch scanLine(buffer, from: index, limit: limits.maxLineBytes) {
                case .needMore: return .needMore
                case .tooLong: return .failure(.sizeLineTooLong)
                case .bareLF: return .failure(.bareLFInSizeLine)
                case .line(let lf): lineEnd = lf
                }
                guard let size = Self.chunkSize(buffer[index..<lineEnd - 1]) else { return .failure(.invalidSize) }
                index = lineEnd + 1
                if size == 0 {
                    state = .trailers(bytes: 0)
                } else if body.count + size > limits.maxBodyBytes {
                    return .failure(.bodyTooLarge)
                } else {
                    state = .data(remaining: size)
                }

            case .data(let remaining):
                let available = buffer.count - index
                if available == 0 { return .needMore }
                let take = min(available, remaining)
                body.append(contentsOf: buffer[index..<index + take])
                index += take
                state = take == remaining ? .dataEnd : .data(remaining: remaining - take)
                if take < remaining { return .needMore }

            case .dataEnd:
                if buffer.count - index < 2 { return .needMore }
                guard buffer[index] == CR, buffer[index + 1] == LF else { return .failure(.missingCRLFAfterData) }
                index += 2
                state = .size

            case .trailers(let seen):
                // One byte of slack, as in the head: the closing empty line's CR may come on its own.
                let lineEnd: Int
                switch scanLine(buffer, from: index, limit: limits.maxTrailerBytes - seen + 1) {
                case .needMore: return .needMore
                case .tooLong: return .failure(.trailerSectionTooLarge)
                case .bareLF: return .failure(.bareLFInTrailers)
                case .line(let lf): lineEnd = lf
                }
                let lineStart = index
                let total = seen + (lineEnd + 1 - index)
                index = lineEnd + 1
                if lineEnd - 1 == lineStart {
                    state = .size
                    return .complete
                }
                // Trailers are validated like header fields, then dropped: nothing here reads them.
                let checked = buffer.withUnsafeBufferPointer { RequestParser.parseField($0[lineStart..<lineEnd - 1]) }
                if case .failure(let error) = checked { return .failure(.invalidTrailer(error.reason)) }
                if total > limits.maxTrailerBytes { return .failure(.trailerSectionTooLarge) }
                state = .trailers(bytes: total)
            }
        }
    }

    /// `1*HEXDIG [ chunk-ext ]`; nil when malformed or larger than any body we would accept.
    static func chunkSize(_ line: ArraySlice<UInt8>) -> Int? {
        var size = 0, digits = 0
        var index = line.startIndex
        while index < line.endIndex, let value = PercentDecoding.hexValue(line[index]) {
            digits += 1
            if digits > 15 { return nil }
            size = size << 4 | Int(value)
            index += 1
        }
        guard digits > 0 else { return nil }
        // Whatever follows must be a chunk extension: BWS ";" ... (contents ignored, but no controls).
        var rest = line[index...]
        while let byte = rest.first, byte == SP || byte == HTAB { rest = rest.dropFirst() }
        if rest.isEmpty { return index == line.endIndex ? size : nil }
        guard rest.first == UInt8(ascii: ";") else { return nil }
        for byte in rest where !(byte == HTAB || (byte >= 0x20 && byte != 0x7F)) { return nil }
        return size
    }

    private enum LineScan {
        case needMore
        case tooLong
        case bareLF
        /// The line ends with the LF at this index (after a CR).
        case line(lf: Int)
    }

    /// The line of a chunked body (a chunk size or a trailer) that starts at `from`, when at most
    /// `limit` bytes come before its LF. Too many bytes are refused before anything else about
    /// the line: in smaller reads they would have been refused before its LF arrived, and the
    /// answer must not depend on where reads end (scripts/fuzz http).
    private func scanLine(_ buffer: [UInt8], from: Int, limit: Int) -> LineScan {
        let limit = max(0, limit)
        guard let lf = RequestParser.indexOfLF(buffer, from: from, to: min(buffer.count, from + limit + 1)) else {
            return buffer.count - from > limit ? .tooLong : .needMore
        }
        if lf == from || buffer[lf - 1] != CR { return .bareLF }
        return .line(lf: lf)
    }
}

/// Why a chunked body was refused; each reader maps these to its own errors (status codes for
/// the server, a malformed or oversized response for the client).
package enum ChunkedBodyError: Error, Equatable, Sendable {
    case sizeLineTooLong
    case bareLFInSizeLine
    /// Not `1*HEXDIG [ chunk-ext ]`, or more than 15 hex digits.
    case invalidSize
    /// The chunk just announced would take the body past its limit.
    case bodyTooLarge
    case missingCRLFAfterData
    case trailerSectionTooLarge
    case bareLFInTrailers
    /// A trailer line that is not a valid field line; the text says which rule it broke.
    case invalidTrailer(String)
}
