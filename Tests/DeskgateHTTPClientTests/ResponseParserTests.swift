@testable import DeskgateHTTPClient
import Testing

@Suite struct ResponseParserTests {
    static let body = #"{"client_id":"https://a.example/c"}"#

    /// Feeds `text` in pieces of `step` bytes, reading the body as soon as the head is in (no
    /// judgement of the head: that is the caller's), then signals EOF if the parser wants more.
    func parse(_ text: String, step: Int = 1, maxBody: Int = 5120) throws(HTTPClientError) -> HTTPClientResponse {
        var parser = ResponseParser(maxBodyBytes: maxBody)
        let bytes = Array(text.utf8)
        var offset = 0
        var bodyBegun = false
        while true {
            if parser.head != nil && !bodyBegun {
                try parser.beginBody()
                bodyBegun = true
            }
            if let response = parser.response { return response }
            if offset == bytes.count { break }
            let end = min(offset + step, bytes.count)
            try parser.feed(Array(bytes[offset..<end]))
            offset = end
        }
        try parser.finish()
        guard let response = parser.response else { throw .malformedResponse }
        return response
    }

    @Test(arguments: [1, 7, 4096]) func contentLength(step: Int) throws {
        let response = try parse("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n" +
                                 "Content-Length: \(Self.body.utf8.count)\r\nCache-Control: max-age=60\r\n\r\n\(Self.body)", step: step)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == Self.body)
        #expect(response.header("cache-control") == "max-age=60")
    }

    @Test(arguments: [1, 5, 4096]) func chunked(step: Int) throws {
        let response = try parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                 "5\r\n{\"cli\r\n1e;ext=1\r\nent_id\":\"https://a.example/c\"}\r\n0\r\nX-Trailer: 1\r\n\r\n", step: step)
        #expect(String(decoding: response.body, as: UTF8.self) == Self.body)
    }

    @Test func closeDelimitedAndInterimResponses() throws {
        let closed = try parse("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n\(Self.body)")
        #expect(String(decoding: closed.body, as: UTF8.self) == Self.body)
        #expect(closed.head.isHTTP10)
        let hinted = try parse("HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" +
                               "Content-Length: 2\r\n\r\n{}")
        #expect(hinted.body == Array("{}".utf8))
        #expect(hinted.header("link") == nil)
    }

    @Test func theHeadIsJudgedBeforeAnyOfTheBodyIsRead() throws {
        // A redirect whose framing is refused: the caller sees the head first, and may stop there.
        var parser = ResponseParser(maxBodyBytes: 10)
        try parser.feed(Array("HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\nzz".utf8))
        let head = try #require(parser.head)
        #expect(head.status == 302)
        #expect(head.header("location") == "/x")
        #expect(parser.response == nil)
        #expect(throws: HTTPClientError.malformedResponse) { try parser.beginBody() }
    }

    static let refused: [(String, String, HTTPClientError)] = [
        ("switching", "HTTP/1.1 101 Switching Protocols\r\n\r\n", .malformedResponse),
        ("declared too large", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5121\r\n\r\n", .tooLarge),
        ("chunks too large", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "1000\r\n" + String(repeating: "a", count: 4096) + "\r\n1000\r\n", .tooLarge),
        ("close-delimited too large", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + String(repeating: "a", count: 5121), .tooLarge),
        ("huge head", "HTTP/1.1 200 OK\r\nX-Junk: " + String(repeating: "j", count: 9000) + "\r\n\r\n", .tooLarge),
        ("truncated body", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{}", .malformedResponse),
        ("truncated chunks", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n", .malformedResponse),
        ("truncated head", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", .malformedResponse),
        ("both framings", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", .malformedResponse),
        ("gzip framing", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .malformedResponse),
        ("chunked in HTTP/1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .malformedResponse),
        ("content encoding", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}", .malformedResponse),
        ("conflicting lengths", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", .malformedResponse),
        ("signed length", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: +2\r\n\r\n{}", .malformedResponse),
        ("bad chunk size", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .malformedResponse),
        // Int(_:radix:) takes a sign: a negative size once became a negative read and trapped.
        ("negative chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n{}\r\n0\r\n\r\n", .malformedResponse),
        ("signed chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+2\r\n{}\r\n0\r\n\r\n", .malformedResponse),
        ("chunk size overflow", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", .malformedResponse),
        ("huge chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n", .tooLarge),
        ("chunk without CRLF", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n", .malformedResponse),
        ("bare LF chunk line", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\n{}\r\n0\r\n\r\n", .malformedResponse),
        ("long chunk line", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;" + String(repeating: "x", count: 300) + "\r\n", .malformedResponse),
        ("malformed trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nno colon\r\n\r\n", .malformedResponse),
        ("huge trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " + String(repeating: "t", count: 9000) + "\r\n\r\n", .tooLarge),
        ("HTTP/2 line", "HTTP/2 200\r\nContent-Type: application/json\r\n\r\n{}", .malformedResponse),
        ("garbage", "SSH-2.0-OpenSSH_9.2\r\n\r\n", .malformedResponse),
        ("folded header", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n continued\r\nContent-Length: 2\r\n\r\n{}", .malformedResponse),
        ("no colon", "HTTP/1.1 200 OK\r\nContent-Type application/json\r\n\r\n", .malformedResponse),
    ]

    @Test(arguments: refused) func refuses(_ row: (String, String, HTTPClientError)) {
        #expect(throws: row.2, "\(row.0)") { try parse(row.1, step: 3) }
        #expect(throws: row.2, "\(row.0), one read") { try parse(row.1, step: 1 << 16) }
    }

    @Test func doubleContentLengthThatAgreesIsAccepted() throws {
        let response = try parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}")
        #expect(response.body == Array("{}".utf8))
    }

    @Test func exactlyTheLimitIsAccepted() throws {
        let body = "\"" + String(repeating: "a", count: 5118) + "\""
        let response = try parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5120\r\n\r\n" + body, step: 1000)
        #expect(response.body.count == 5120)
        let chunked = try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1400\r\n" + body + "\r\n0\r\n\r\n", step: 700)
        #expect(chunked.body.count == 5120)
    }

    @Test func bytesAfterTheResponseAreIgnored() throws {
        let response = try parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n\r\njunk", step: 5)
        #expect(response.body == Array("{}".utf8))
    }

    @Test func requestIsAMinimalGETThatClosesTheConnection() {
        let request = String(decoding: HTTPClientExchange.request("/c.json?v=1", fields: [("Host", "app.example.com:8443"), ("Accept", "*/*")]),
                             as: UTF8.self)
        #expect(request == "GET /c.json?v=1 HTTP/1.1\r\nHost: app.example.com:8443\r\nAccept: */*\r\nConnection: close\r\n\r\n")
    }

}
