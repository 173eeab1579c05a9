@testable import DeskgateAuth
import Testing

@Suite struct MetadataResponseParserTests {
    static let body = #"{"client_id":"https://a.example/c"}"#

    /// Feeds `text` in pieces of `step` bytes, then signals EOF if the parser still wants more.
    func parse(_ text: String, step: Int = 1, maxBody: Int = 5120) throws(ClientMetadataError) -> MetadataResponse {
        var parser = MetadataResponseParser(maxBodyBytes: maxBody)
        let bytes = Array(text.utf8)
        var offset = 0
        var complete = false
        while offset < bytes.count && !complete {
            let end = min(offset + step, bytes.count)
            complete = try parser.feed(Array(bytes[offset..<end]))
            offset = end
        }
        if !complete { try parser.finish() }
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
        let hinted = try parse("HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" +
                               "Content-Length: 2\r\n\r\n{}")
        #expect(hinted.body == Array("{}".utf8))
        #expect(hinted.header("link") == nil)
    }

    @Test func structuredJSONMediaTypes() {
        #expect(MetadataResponseParser.isJSONMediaType("application/json"))
        #expect(MetadataResponseParser.isJSONMediaType("Application/JSON ; charset=UTF-8"))
        #expect(MetadataResponseParser.isJSONMediaType("application/oauth-client-metadata+json"))
        #expect(!MetadataResponseParser.isJSONMediaType("text/json"))
        #expect(!MetadataResponseParser.isJSONMediaType("text/html"))
        #expect(!MetadataResponseParser.isJSONMediaType("application/jsonx"))
    }

    static let refused: [(String, String, ClientMetadataError)] = [
        ("redirect 302", "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\n\r\n", .redirected),
        ("redirect 301", "HTTP/1.1 301 Moved\r\nLocation: https://b.example/c\r\n\r\n", .redirected),
        ("redirect 307", "HTTP/1.1 307 Temporary Redirect\r\nLocation: /c2\r\n\r\n", .redirected),
        ("not found", "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", .unexpectedStatus(404)),
        ("no content", "HTTP/1.1 204 No Content\r\n\r\n", .unexpectedStatus(204)),
        ("server error", "HTTP/1.1 500 Oops\r\n\r\n", .unexpectedStatus(500)),
        ("switching", "HTTP/1.1 101 Switching Protocols\r\n\r\n", .malformedResponse),
        ("html", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\n{}", .notJSON),
        ("no content type", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", .notJSON),
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
        ("content encoding", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}", .malformedResponse),
        ("conflicting lengths", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", .malformedResponse),
        ("signed length", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: +2\r\n\r\n{}", .malformedResponse),
        ("bad chunk size", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .malformedResponse),
        ("chunk without CRLF", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n", .malformedResponse),
        ("HTTP/2 line", "HTTP/2 200\r\nContent-Type: application/json\r\n\r\n{}", .malformedResponse),
        ("garbage", "SSH-2.0-OpenSSH_9.2\r\n\r\n", .malformedResponse),
        ("folded header", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n continued\r\nContent-Length: 2\r\n\r\n{}", .malformedResponse),
        ("no colon", "HTTP/1.1 200 OK\r\nContent-Type application/json\r\n\r\n", .malformedResponse),
    ]

    @Test(arguments: refused) func refuses(_ row: (String, String, ClientMetadataError)) {
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
    }

    @Test func requestIsAMinimalGET() throws {
        let url = try ClientMetadataURL("https://app.example.com:8443/c.json?v=1", allowInsecureLoopback: false)
        let request = String(decoding: MetadataExchange(maxBodyBytes: 5120).request(for: url), as: UTF8.self)
        #expect(request.hasPrefix("GET /c.json?v=1 HTTP/1.1\r\nHost: app.example.com:8443\r\nAccept: application/json\r\n"))
        #expect(request.hasSuffix("Connection: close\r\n\r\n"))
        #expect(!request.lowercased().contains("accept-encoding"))
    }
}
