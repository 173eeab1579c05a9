import Testing
@testable import DeskgateHTTP

/// What parsing one raw input produced, reduced to what a row can state exactly.
enum Parsed: Equatable, CustomStringConvertible {
    case request(method: String, target: String, body: String, keepAlive: Bool)
    case status(Int)
    case incomplete

    var description: String {
        switch self {
        case .request(let m, let t, let b, let k): return "request(\(m) \(t) body=\(b.debugDescription) keepAlive=\(k))"
        case .status(let code): return "status(\(code))"
        case .incomplete: return "incomplete"
        }
    }
}

/// The one request `raw` holds (every byte consumed), or nil with the failure recorded.
func firstRequest(_ raw: String, sourceLocation: SourceLocation = #_sourceLocation) -> (head: RequestHead, body: [UInt8])? {
    var parser = RequestParser(limits: ParserLimits())
    let bytes = Array(raw.utf8)
    var index = 0
    guard case .request(let head, let body) = parser.parse(bytes, from: &index) else {
        Issue.record("no request parsed", sourceLocation: sourceLocation)
        return nil
    }
    #expect(index == bytes.count, "bytes left after the request", sourceLocation: sourceLocation)
    return (head, body)
}

/// Parses everything in `raw` (delivered in pieces of `step` bytes) and returns every outcome in order.
func parseAll(_ raw: String, step: Int = Int.max, limits: ParserLimits = ParserLimits()) -> [Parsed] {
    let bytes = Array(raw.utf8)
    var parser = RequestParser(limits: limits)
    var buffer: [UInt8] = []
    var index = 0
    var results: [Parsed] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + step)
        buffer.append(contentsOf: bytes[offset..<end])
        offset = end
        parsing: while true {
            switch parser.parse(buffer, from: &index) {
            case .needMore: break parsing
            case .continueExpected: continue
            case .request(let head, let body):
                results.append(.request(method: head.method, target: head.target,
                                        body: String(decoding: body, as: UTF8.self), keepAlive: head.keepAlive))
            case .failure(let error):
                results.append(.status(error.status.code))
                return results
            }
        }
    }
    if !parser.isBetweenRequests || index < buffer.count { results.append(.incomplete) }
    return results
}

struct ParserCase: CustomTestStringConvertible, Sendable {
    let name: String
    let raw: String
    let expected: [Parsed]
    var testDescription: String { name }

    init(_ name: String, _ raw: String, _ expected: Parsed...) {
        self.name = name
        self.raw = raw
        self.expected = expected
    }
}

extension Parsed: @unchecked Sendable {}

let host = "Host: example.test\r\n"
let longTarget = "/" + String(repeating: "a", count: 8200)
let manyHeaders = (0..<101).map { "X-H\($0): v\r\n" }.joined()
let hundredHeaders = (0..<99).map { "X-H\($0): v\r\n" }.joined()
let bigHeader = "X-Big: " + String(repeating: "b", count: 16400) + "\r\n"

let parserTable: [ParserCase] = [
    // Well-formed
    ParserCase("simple GET", "GET / HTTP/1.1\r\n\(host)\r\n", .request(method: "GET", target: "/", body: "", keepAlive: true)),
    ParserCase("query kept in target", "GET /a/b?x=1&y=2 HTTP/1.1\r\n\(host)\r\n",
               .request(method: "GET", target: "/a/b?x=1&y=2", body: "", keepAlive: true)),
    ParserCase("absolute-form target", "GET http://example.test/p?q HTTP/1.1\r\n\(host)\r\n",
               .request(method: "GET", target: "http://example.test/p?q", body: "", keepAlive: true)),
    ParserCase("leading empty line ignored", "\r\nGET / HTTP/1.1\r\n\(host)\r\n",
               .request(method: "GET", target: "/", body: "", keepAlive: true)),
    ParserCase("content-length body", "POST /e HTTP/1.1\r\n\(host)Content-Length: 5\r\n\r\nhello",
               .request(method: "POST", target: "/e", body: "hello", keepAlive: true)),
    ParserCase("zero content-length", "POST /e HTTP/1.1\r\n\(host)Content-Length: 0\r\n\r\n",
               .request(method: "POST", target: "/e", body: "", keepAlive: true)),
    ParserCase("identical repeated content-length", "POST /e HTTP/1.1\r\n\(host)Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
               .request(method: "POST", target: "/e", body: "abc", keepAlive: true)),
    ParserCase("content-length list of equal values", "POST /e HTTP/1.1\r\n\(host)Content-Length: 3, 3\r\n\r\nabc",
               .request(method: "POST", target: "/e", body: "abc", keepAlive: true)),
    ParserCase("chunked body", "POST /e HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
               .request(method: "POST", target: "/e", body: "hello world", keepAlive: true)),
    ParserCase("chunked with extensions and trailers",
               "POST /e HTTP/1.1\r\n\(host)Transfer-Encoding: Chunked\r\n\r\n5;foo=bar\r\nhello\r\nA ; x=\"y\"\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n",
               .request(method: "POST", target: "/e", body: "hello0123456789", keepAlive: true)),
    ParserCase("connection close", "GET / HTTP/1.1\r\n\(host)Connection: close\r\n\r\n",
               .request(method: "GET", target: "/", body: "", keepAlive: false)),
    ParserCase("HTTP/1.0 closes by default", "GET / HTTP/1.0\r\n\r\n",
               .request(method: "GET", target: "/", body: "", keepAlive: false)),
    ParserCase("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
               .request(method: "GET", target: "/", body: "", keepAlive: true)),
    ParserCase("HTTP/1.1 minor version above 1 served as 1.1", "GET / HTTP/1.9\r\n\(host)\r\n",
               .request(method: "GET", target: "/", body: "", keepAlive: true)),
    ParserCase("one Authorization header accepted", "GET / HTTP/1.1\r\n\(host)Authorization: Bearer a\r\n\r\n",
               .request(method: "GET", target: "/", body: "", keepAlive: true)),
    ParserCase("100 header fields accepted", "GET / HTTP/1.1\r\n\(host)\(hundredHeaders)\r\n",
               .request(method: "GET", target: "/", body: "", keepAlive: true)),
    ParserCase("pipelined pair",
               "GET /1 HTTP/1.1\r\n\(host)\r\nPOST /2 HTTP/1.1\r\n\(host)Content-Length: 2\r\n\r\nok",
               .request(method: "GET", target: "/1", body: "", keepAlive: true),
               .request(method: "POST", target: "/2", body: "ok", keepAlive: true)),
    ParserCase("incomplete head waits", "GET / HTTP/1.1\r\nHost: x\r\n", .incomplete),
    ParserCase("incomplete body waits", "POST / HTTP/1.1\r\n\(host)Content-Length: 10\r\n\r\nabc", .incomplete),

    // 400: malformed
    ParserCase("garbage request line", "GARBAGE\r\n\r\n", .status(400)),
    ParserCase("missing version", "GET /\r\n\(host)\r\n", .status(400)),
    ParserCase("lowercase version", "GET / http/1.1\r\n\(host)\r\n", .status(400)),
    ParserCase("double space in request line", "GET  / HTTP/1.1\r\n\(host)\r\n", .status(400)),
    ParserCase("invalid method character", "GE(T / HTTP/1.1\r\n\(host)\r\n", .status(400)),
    ParserCase("relative target", "GET foo HTTP/1.1\r\n\(host)\r\n", .status(400)),
    ParserCase("missing Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", .status(400)),
    ParserCase("two Host headers", "GET / HTTP/1.1\r\n\(host)\(host)\r\n", .status(400)),
    ParserCase("two Authorization headers", "GET / HTTP/1.1\r\n\(host)Authorization: Bearer a\r\nAUTHORIZATION: Bearer b\r\n\r\n",
               .status(400)),
    ParserCase("header without colon", "GET / HTTP/1.1\r\n\(host)NoColon\r\n\r\n", .status(400)),
    ParserCase("space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", .status(400)),
    ParserCase("empty header name", "GET / HTTP/1.1\r\n\(host): v\r\n\r\n", .status(400)),
    ParserCase("obs-fold continuation", "GET / HTTP/1.1\r\n\(host)X-A: a\r\n b\r\n\r\n", .status(400)),
    ParserCase("bare LF line endings", "GET / HTTP/1.1\nHost: x\n\n", .status(400)),
    ParserCase("bare LF in a header line", "GET / HTTP/1.1\r\nHost: x\nX: y\r\n\r\n", .status(400)),
    ParserCase("control character in value", "GET / HTTP/1.1\r\n\(host)X-A: a\u{01}b\r\n\r\n", .status(400)),
    ParserCase("CR inside a value", "GET / HTTP/1.1\r\n\(host)X-A: a\rb\r\n\r\n", .status(400)),
    ParserCase("non-numeric content-length", "POST / HTTP/1.1\r\n\(host)Content-Length: abc\r\n\r\n", .status(400)),
    ParserCase("negative content-length", "POST / HTTP/1.1\r\n\(host)Content-Length: -5\r\n\r\n", .status(400)),
    ParserCase("plus-signed content-length", "POST / HTTP/1.1\r\n\(host)Content-Length: +5\r\n\r\n", .status(400)),
    ParserCase("empty content-length", "POST / HTTP/1.1\r\n\(host)Content-Length: \r\n\r\n", .status(400)),
    ParserCase("two different content-lengths", "POST / HTTP/1.1\r\n\(host)Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", .status(400)),
    ParserCase("content-length list that disagrees", "POST / HTTP/1.1\r\n\(host)Content-Length: 3, 4\r\n\r\nabcd", .status(400)),
    ParserCase("content-length and transfer-encoding", "POST / HTTP/1.1\r\n\(host)Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", .status(400)),
    ParserCase("transfer-encoding and content-length", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", .status(400)),
    ParserCase("chunked twice", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, chunked\r\n\r\n", .status(400)),
    ParserCase("transfer-encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .status(400)),
    ParserCase("invalid chunk size", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nzz\r\n", .status(400)),
    ParserCase("empty chunk size", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n\r\n", .status(400)),
    ParserCase("chunk size overflow", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", .status(400)),
    ParserCase("chunk size with junk", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n", .status(400)),
    ParserCase("missing CRLF after chunk data", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", .status(400)),
    ParserCase("bare LF after chunk size", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", .status(400)),
    ParserCase("malformed trailer", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n", .status(400)),

    // Limits
    ParserCase("request line too long", "GET \(longTarget) HTTP/1.1\r\n\(host)\r\n", .status(414)),
    ParserCase("request line too long before CRLF arrives", "GET \(longTarget)", .status(414)),
    ParserCase("too many header fields", "GET / HTTP/1.1\r\n\(host)\(manyHeaders)\r\n", .status(431)),
    ParserCase("header section too large", "GET / HTTP/1.1\r\n\(host)\(bigHeader)\r\n", .status(431)),
    ParserCase("header section too large before it ends", "GET / HTTP/1.1\r\n\(host)\(bigHeader)", .status(431)),
    ParserCase("declared body too large", "POST / HTTP/1.1\r\n\(host)Content-Length: 1048577\r\n\r\n", .status(413)),
    ParserCase("absurd content-length", "POST / HTTP/1.1\r\n\(host)Content-Length: 99999999999999999999999\r\n\r\n", .status(413)),

    // Unsupported
    ParserCase("gzip transfer coding", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip\r\n\r\n", .status(501)),
    ParserCase("gzip then chunked", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip, chunked\r\n\r\n", .status(501)),
    ParserCase("HTTP/2.0 request line", "GET / HTTP/2.0\r\n\(host)\r\n", .status(505)),
    ParserCase("HTTP/0.9 version", "GET / HTTP/0.9\r\n\(host)\r\n", .status(505)),
    ParserCase("unknown expectation", "POST / HTTP/1.1\r\n\(host)Expect: teapot\r\nContent-Length: 1\r\n\r\nx", .status(417)),
]

@Suite("Request parser")
struct RequestParserTests {
    @Test(arguments: parserTable)
    func wholeInput(_ row: ParserCase) {
        #expect(parseAll(row.raw) == row.expected)
    }

    /// The same outcomes when the bytes arrive one at a time (incremental state must not drift).
    @Test(arguments: parserTable)
    func byteByByte(_ row: ParserCase) {
        #expect(parseAll(row.raw, step: 1) == row.expected)
    }

    @Test func chunkedBodyOverLimitIs413() {
        var limits = ParserLimits()
        limits.maxBodyBytes = 8
        let raw = "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n"
        #expect(parseAll(raw, limits: limits) == [.status(413)])
    }

    @Test func bodyExactlyAtLimitIsAccepted() {
        var limits = ParserLimits()
        limits.maxBodyBytes = 5
        let raw = "POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\n\r\nhello"
        #expect(parseAll(raw, limits: limits) == [.request(method: "POST", target: "/", body: "hello", keepAlive: true)])
    }

    @Test func expectContinueIsReportedOnceBeforeTheBody() {
        var parser = RequestParser(limits: ParserLimits())
        var buffer = Array("POST / HTTP/1.1\r\n\(host)Expect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8)
        var index = 0
        guard case .continueExpected = parser.parse(buffer, from: &index) else {
            Issue.record("expected continueExpected")
            return
        }
        guard case .needMore = parser.parse(buffer, from: &index) else {
            Issue.record("expected needMore")
            return
        }
        buffer.append(contentsOf: Array("ok".utf8))
        guard case .request(_, let body) = parser.parse(buffer, from: &index) else {
            Issue.record("expected request")
            return
        }
        #expect(body == Array("ok".utf8))
    }

    @Test func headerNamesAreLowercasedAndValuesTrimmed() {
        guard let (head, _) = firstRequest("GET / HTTP/1.1\r\nHOST: x\r\nX-Thing: \t spaced value \t\r\n\r\n") else { return }
        #expect(head.headers.fields.map(\.name) == ["host", "x-thing"])
        #expect(head.headers["x-thing"] == "spaced value")
    }

    /// Found by scripts/fuzz http: the answer depended on where reads ended. A long request line
    /// ending in a bare LF was 400 when it arrived whole and 414 in small reads; a header section
    /// of exactly the limit was taken whole and refused (431) in small reads.
    @Test func limitsGiveTheSameAnswerWhateverTheReadSizes() {
        var limits = ParserLimits()
        limits.maxRequestLineBytes = 64
        limits.maxHeaderBytes = 64
        let longLineBareLF = "GET /\(String(repeating: "a", count: 80)) HTTP/1.1\n\(host)\r\n"
        let field = "X-Pad: " + String(repeating: "p", count: 64 - host.utf8.count - 9) + "\r\n"
        let exactHeaders = "GET / HTTP/1.1\r\n\(host)\(field)\r\n"
        let overHeaders = "GET / HTTP/1.1\r\n\(host)X\(field)\r\n"
        for step in [Int.max, 1, 2, 7] {
            #expect(parseAll(longLineBareLF, step: step, limits: limits) == [.status(414)], "step \(step)")
            #expect(parseAll(exactHeaders, step: step, limits: limits) == [.request(method: "GET", target: "/", body: "", keepAlive: true)],
                    "step \(step)")
            #expect(parseAll(overHeaders, step: step, limits: limits) == [.status(431)], "step \(step)")
        }
    }

    /// The same for a chunked body's lines (found next): a chunk-size line one byte over its
    /// limit was taken whole and refused in small reads; an over-long trailer without a colon was
    /// 400 whole and 431 in small reads.
    @Test func chunkedLinesGiveTheSameAnswerWhateverTheReadSizes() {
        var limits = ParserLimits()
        limits.maxChunkLineBytes = 16
        limits.maxHeaderBytes = 64
        let head = "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n"
        let sizeLine = { (ext: Int) in "2;" + String(repeating: "e", count: ext) + "\r\nok\r\n0\r\n\r\n" }
        let trailer = "X-T: " + String(repeating: "t", count: 64 - 7) + "\r\n"   // exactly 64 bytes
        let ok = Parsed.request(method: "POST", target: "/", body: "ok", keepAlive: true)
        for step in [Int.max, 1, 3] {
            #expect(parseAll(head + sizeLine(13), step: step, limits: limits) == [ok], "step \(step)")   // 16 with the CR
            #expect(parseAll(head + sizeLine(14), step: step, limits: limits) == [.status(400)], "step \(step)")
            #expect(parseAll(head + "2\r\nok\r\n0\r\n" + trailer + "\r\n", step: step, limits: limits) == [ok], "step \(step)")
            #expect(parseAll(head + "2\r\nok\r\n0\r\n" + String(repeating: "x", count: 80) + "\r\n\r\n", step: step,
                             limits: limits) == [.status(431)], "step \(step)")
        }
    }
}
