/// Turns a syntactically valid head into framing and connection decisions,
/// refusing every combination RFC 9112 calls ambiguous.
enum HeadSemantics {
    static func interpret(_ line: RequestParser.RequestLine, headers: HTTPHeaders,
                          limits: ParserLimits) -> Result<RequestHead, HTTPError> {
        var hostCount = 0
        var authorizationCount = 0
        var lengths: [Substring] = []
        /// The common case, one Content-Length of plain digits, kept out of `lengths`: splitting,
        /// trimming and the array cost ~1.5k instructions per request (callgrind).
        var plainLength: Substring?
        var codings: [Substring] = []
        var hasTransferEncoding = false
        var connectionTokens: [Substring] = []
        var expect: String?
        // The parser's block: names are read only for the lengths below, values only for the
        // fields that matter here (the rest stay bytes until a handler asks).
        let block = headers.withParsedBlock { $0 } ?? ParsedHeaderBlock.make(fields: headers.fields)
        for i in 0..<block.spanCount {
            // Most fields are none of these: a length check avoids five string comparisons.
            switch block.span(i).nameLength {
            case 4, 6, 10, 13, 14, 17: break
            default: continue
            }
            // Names compared on the block's (lowercased) bytes: no String per candidate field.
            if block.name(i, is: "host") {
                hostCount += 1
            } else if block.name(i, is: "authorization") {
                authorizationCount += 1
            } else if block.name(i, is: "content-length") {
                let value = Substring(block.value(i))
                if plainLength == nil && lengths.isEmpty && !value.isEmpty && value.utf8.allSatisfy(isDigit) {
                    plainLength = value
                } else {
                    if let plain = plainLength { lengths.append(plain) }
                    plainLength = nil
                    lengths += value.split(separator: ",", omittingEmptySubsequences: false)
                }
            } else if block.name(i, is: "transfer-encoding") {
                hasTransferEncoding = true
                codings += block.value(i).split(separator: ",", omittingEmptySubsequences: false)
            } else if block.name(i, is: "connection") {
                connectionTokens += block.value(i).split(separator: ",")
            } else if block.name(i, is: "expect") {
                expect = block.value(i)
            }
        }
        if line.version == .http11 && hostCount != 1 {
            return .failure(HTTPError(.badRequest, hostCount == 0 ? "missing Host header" : "more than one Host header"))
        }
        if hostCount > 1 { return .failure(HTTPError(.badRequest, "more than one Host header")) }
        // Authorization is a singleton field (RFC 9110 §11.6.2): with two, a proxy reading the
        // last one and a server reading the first would authorize different credentials.
        if authorizationCount > 1 { return .failure(HTTPError(.badRequest, "more than one Authorization header")) }

        var framing = BodyFraming.none
        if hasTransferEncoding {
            if !lengths.isEmpty || plainLength != nil {
                return .failure(HTTPError(.badRequest, "both Content-Length and Transfer-Encoding"))
            }
            if line.version == .http10 {
                return .failure(HTTPError(.badRequest, "Transfer-Encoding in an HTTP/1.0 request"))
            }
            let names = codings.map { $0.trimmingWhitespace().lowercased() }
            if names.contains(where: { $0.isEmpty }) {
                return .failure(HTTPError(.badRequest, "empty transfer coding"))
            }
            if let unknown = names.first(where: { $0 != "chunked" }) {
                return .failure(HTTPError(.notImplemented, "transfer coding '\(unknown)' is not supported"))
            }
            if names.count != 1 {
                return .failure(HTTPError(.badRequest, "chunked applied more than once"))
            }
            framing = .chunked
        } else if let plainLength {
            switch length(digits: plainLength, limits: limits) {
            case .failure(let error): return .failure(error)
            case .success(let length): framing = .length(length)
            }
        } else if !lengths.isEmpty {
            switch contentLength(lengths, limits: limits) {
            case .failure(let error): return .failure(error)
            case .success(let length): framing = .length(length)
            }
        }

        var keepAlive = line.version == .http11
        for token in connectionTokens {
            switch token.trimmingWhitespace().lowercased() {
            case "close": keepAlive = false
            case "keep-alive" where line.version == .http10: keepAlive = true
            default: break
            }
        }
        if connectionTokens.contains(where: { $0.trimmingWhitespace().lowercased() == "close" }) { keepAlive = false }

        var expectContinue = false
        if let expect {
            guard expect.lowercased() == "100-continue" else {
                return .failure(HTTPError(.expectationFailed, "only 'Expect: 100-continue' is supported"))
            }
            expectContinue = line.version == .http11
        }
        return .success(RequestHead(method: line.method, target: line.target, version: line.version,
                                    headers: headers, framing: framing, keepAlive: keepAlive,
                                    expectContinue: expectContinue))
    }

    /// Every listed value must be the same run of digits (RFC 9110 §8.6 allows identical repeats).
    private static func contentLength(_ values: [Substring], limits: ParserLimits) -> Result<Int, HTTPError> {
        var agreed: Substring?
        for raw in values {
            let value = raw.trimmingWhitespace()
            guard !value.isEmpty, value.utf8.allSatisfy(isDigit) else {
                return .failure(HTTPError(.badRequest, "invalid Content-Length"))
            }
            if let agreed, agreed != value {
                return .failure(HTTPError(.badRequest, "conflicting Content-Length values"))
            }
            agreed = value
        }
        guard let agreed else { return .failure(HTTPError(.badRequest, "invalid Content-Length")) }
        return length(digits: agreed, limits: limits)
    }

    /// A run of ASCII digits (checked by the caller) as a body length within the limit; leading
    /// zeros are allowed, more than 15 significant digits are too large whatever the limit.
    private static func length(digits value: Substring, limits: ParserLimits) -> Result<Int, HTTPError> {
        var length = 0, significant = 0
        for byte in value.utf8 {
            if significant == 0 && byte == UInt8(ascii: "0") { continue }
            significant += 1
            if significant > 15 { break }
            length = length * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard significant <= 15, length <= limits.maxBodyBytes else {
            return .failure(HTTPError(.contentTooLarge, "request body exceeds \(limits.maxBodyBytes) bytes"))
        }
        return .success(length)
    }
}

extension Substring {
    /// Strips optional whitespace (SP and HTAB) at both ends.
    func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
