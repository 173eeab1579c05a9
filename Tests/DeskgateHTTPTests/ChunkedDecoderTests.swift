import Testing
@testable import DeskgateHTTP

/// One chunked body and exactly what the decoder makes of it, without sockets.
struct ChunkedCase: CustomTestStringConvertible, Sendable {
    enum Outcome: Equatable, Sendable {
        /// The body, and the bytes left after the trailer section.
        case complete(body: String, rest: String)
        case needMore
        case failure(ChunkedBodyError)
    }

    let name: String
    let input: String
    let outcome: Outcome
    var limits = ChunkedDecoder.Limits(maxLineBytes: 16, maxTrailerBytes: 32, maxBodyBytes: 20)

    init(_ name: String, _ input: String, _ outcome: Outcome, limits: ChunkedDecoder.Limits? = nil) {
        self.name = name
        self.input = input
        self.outcome = outcome
        if let limits { self.limits = limits }
    }

    var testDescription: String { name }
}

/// Decodes `input` fed `step` bytes at a time (consumed bytes dropped between reads, as a
/// connection compacts its input).
func decodeChunked(_ input: String, limits: ChunkedDecoder.Limits, step: Int) -> ChunkedCase.Outcome {
    var decoder = ChunkedDecoder(limits: limits)
    let bytes = Array(input.utf8)
    var buffer: [UInt8] = []
    var body: [UInt8] = []
    var index = 0
    var fed = 0
    while true {
        let size = min(step, bytes.count - fed)
        buffer += bytes[fed..<fed + size]
        fed += size
        switch decoder.decode(buffer, from: &index, into: &body) {
        case .complete:
            let rest = Array(buffer[index...]) + bytes[fed...]
            return .complete(body: String(decoding: body, as: UTF8.self), rest: String(decoding: rest, as: UTF8.self))
        case .failure(let error):
            return .failure(error)
        case .needMore:
            if fed == bytes.count { return .needMore }
            buffer.removeFirst(index)
            index = 0
        }
    }
}

@Suite struct ChunkedDecoderTests {
    static let wideLines = ChunkedDecoder.Limits(maxLineBytes: 64, maxTrailerBytes: 32, maxBodyBytes: 20)

    static let cases: [ChunkedCase] = [
        // Valid sequences
        ChunkedCase("one chunk", "5\r\nhello\r\n0\r\n\r\n", .complete(body: "hello", rest: "")),
        ChunkedCase("two chunks", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", .complete(body: "hello world", rest: "")),
        ChunkedCase("empty body", "0\r\n\r\n", .complete(body: "", rest: "")),
        ChunkedCase("upper and lower hex", "A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n",
                    .complete(body: "0123456789abcdefghij", rest: "")),
        ChunkedCase("leading zeros", "0005\r\nhello\r\n000\r\n\r\n", .complete(body: "hello", rest: "")),
        ChunkedCase("the next message stays", "1\r\nx\r\n0\r\n\r\nGET / HTTP/1.1", .complete(body: "x", rest: "GET / HTTP/1.1")),
        ChunkedCase("body of exactly the limit", "14\r\n01234567890123456789\r\n0\r\n\r\n",
                    .complete(body: "01234567890123456789", rest: "")),
        ChunkedCase("CRLF inside chunk data", "4\r\n\r\n\r\n\r\n0\r\n\r\n", .complete(body: "\r\n\r\n", rest: "")),
        // Extensions
        ChunkedCase("extension", "5;name=value\r\nhello\r\n0\r\n\r\n", .complete(body: "hello", rest: "")),
        ChunkedCase("quoted extension", "5;a=\"b c\"\r\nhello\r\n0;z\r\n\r\n", .complete(body: "hello", rest: "")),
        ChunkedCase("whitespace before extension", "5 \t;a\r\nhello\r\n0\r\n\r\n", .complete(body: "hello", rest: "")),
        ChunkedCase("control in extension", "5;a\u{01}\r\nhello\r\n0\r\n\r\n", .failure(.invalidSize)),
        ChunkedCase("DEL in extension", "5;a\u{7F}\r\nhello\r\n0\r\n\r\n", .failure(.invalidSize)),
        // Trailers
        ChunkedCase("trailers", "1\r\nx\r\n0\r\nX-T: 1\r\nY:2\r\n\r\n", .complete(body: "x", rest: "")),
        ChunkedCase("trailer section of exactly the limit", "0\r\nX: " + String(repeating: "t", count: 27) + "\r\n\r\n",
                    .complete(body: "", rest: "")),
        ChunkedCase("trailer section one byte over", "0\r\nX: " + String(repeating: "t", count: 28) + "\r\n\r\n",
                    .failure(.trailerSectionTooLarge)),
        ChunkedCase("trailers over the limit together", "0\r\nA: 1234567890\r\nB: 1234567890\r\nC: 1\r\n\r\n",
                    .failure(.trailerSectionTooLarge)),
        ChunkedCase("trailer without colon", "0\r\nno colon\r\n\r\n", .failure(.invalidTrailer("header field without a colon"))),
        ChunkedCase("folded trailer", "0\r\nA: 1\r\n folded\r\n\r\n", .failure(.invalidTrailer("obsolete line folding is not accepted"))),
        ChunkedCase("space before colon in trailer", "0\r\nA : 1\r\n\r\n", .failure(.invalidTrailer("invalid header field name"))),
        ChunkedCase("control in trailer", "0\r\nA: \u{01}\r\n\r\n", .failure(.invalidTrailer("control character in header field value"))),
        ChunkedCase("bare LF in trailers", "0\r\nA: 1\n\r\n", .failure(.bareLFInTrailers)),
        ChunkedCase("bare LF ending trailers", "0\r\n\n", .failure(.bareLFInTrailers)),
        // Size lines
        ChunkedCase("size line of exactly the limit", "5;" + String(repeating: "e", count: 13) + "\r\nhello\r\n0\r\n\r\n",
                    .complete(body: "hello", rest: "")),
        ChunkedCase("size line one byte over", "5;" + String(repeating: "e", count: 14) + "\r\nhello\r\n0\r\n\r\n",
                    .failure(.sizeLineTooLong)),
        ChunkedCase("over-long size line, no LF yet", "5;" + String(repeating: "e", count: 40), .failure(.sizeLineTooLong)),
        ChunkedCase("over-long digits", String(repeating: "0", count: 30) + "5\r\n", .failure(.sizeLineTooLong)),
        ChunkedCase("bare LF after size", "5\nhello\r\n0\r\n\r\n", .failure(.bareLFInSizeLine)),
        ChunkedCase("empty size line", "\r\nhello\r\n", .failure(.invalidSize)),
        ChunkedCase("bad hex", "zz\r\n", .failure(.invalidSize)),
        ChunkedCase("junk after size", "5x\r\nhello\r\n0\r\n\r\n", .failure(.invalidSize)),
        ChunkedCase("space after size, no extension", "5 \r\nhello\r\n0\r\n\r\n", .failure(.invalidSize)),
        ChunkedCase("leading space", " 5\r\nhello\r\n0\r\n\r\n", .failure(.invalidSize)),
        ChunkedCase("negative size", "-1\r\nx\r\n0\r\n\r\n", .failure(.invalidSize)),
        ChunkedCase("plus sign", "+5\r\nhello\r\n0\r\n\r\n", .failure(.invalidSize)),
        ChunkedCase("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", .failure(.invalidSize)),
        // Sizes that overflow or pass the body limit
        ChunkedCase("16 hex digits", "1000000000000000\r\n", .failure(.invalidSize), limits: wideLines),
        ChunkedCase("largest Int", "7fffffffffffffff\r\n", .failure(.invalidSize), limits: wideLines),
        ChunkedCase("beyond Int", "10000000000000000\r\n", .failure(.invalidSize), limits: wideLines),
        ChunkedCase("15 hex digits", "fffffffffffffff\r\n", .failure(.bodyTooLarge)),
        ChunkedCase("one chunk over the limit", "15\r\n", .failure(.bodyTooLarge)),
        ChunkedCase("chunks over the limit together", "a\r\n0123456789\r\na\r\n0123456789\r\n1\r\n", .failure(.bodyTooLarge)),
        // Data framing
        ChunkedCase("missing CRLF after data", "5\r\nhelloXX0\r\n\r\n", .failure(.missingCRLFAfterData)),
        ChunkedCase("LF alone after data", "5\r\nhello\n0\r\n\r\n", .failure(.missingCRLFAfterData)),
        ChunkedCase("truncated data", "5\r\nhel", .needMore),
        ChunkedCase("truncated trailers", "0\r\nA: 1\r\n", .needMore),
        ChunkedCase("closing CR alone", "0\r\n\r", .needMore),
    ]

    @Test(arguments: cases) func decodes(_ row: ChunkedCase) {
        #expect(decodeChunked(row.input, limits: row.limits, step: Int.max) == row.outcome, "whole")
    }

    /// The answer must not depend on where reads end (the server's parser relies on it).
    @Test(arguments: cases) func readSizesDoNotMatter(_ row: ChunkedCase) {
        for step in [1, 2, 3, 7] {
            #expect(decodeChunked(row.input, limits: row.limits, step: step) == row.outcome, "step \(step)")
        }
    }

    @Test func restartsForTheNextBody() {
        var decoder = ChunkedDecoder(limits: ChunkedDecoder.Limits(maxLineBytes: 16, maxTrailerBytes: 32, maxBodyBytes: 20))
        let bytes = Array("3\r\nabc\r\n0\r\n\r\n2\r\nde\r\n0\r\n\r\n".utf8)
        var index = 0
        var first: [UInt8] = [], second: [UInt8] = []
        #expect(decoder.decode(bytes, from: &index, into: &first) == .complete)
        decoder.restart()
        #expect(decoder.decode(bytes, from: &index, into: &second) == .complete)
        #expect(first == Array("abc".utf8) && second == Array("de".utf8) && index == bytes.count)
    }
}
