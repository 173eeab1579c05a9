@testable import DeskgateAuth
import DeskgateHTTPClient
import Testing

/// A server's answer, handed out a few bytes per read; what was written is kept.
private final class CannedStream: ByteStream {
    private var pending: [UInt8]
    private let step: Int
    var written: [UInt8] = []

    init(_ text: String, step: Int) {
        pending = Array(text.utf8)
        self.step = step
    }

    func write(_ bytes: [UInt8], deadline: FetchDeadline) throws(HTTPClientError) { written += bytes }

    func read(maxCount: Int, deadline: FetchDeadline) throws(HTTPClientError) -> [UInt8] {
        let bytes = Array(pending.prefix(min(step, maxCount)))
        pending.removeFirst(bytes.count)
        return bytes
    }
}

@Suite struct MetadataExchangeTests {
    static let url = try! ClientMetadataURL("https://app.example.com:8443/c.json?v=1", allowInsecureLoopback: false)

    func run(_ text: String, step: Int) throws(ClientMetadataError) -> HTTPClientResponse {
        try MetadataExchange(maxBodyBytes: 5120).run(Self.url, over: CannedStream(text, step: step), deadline: FetchDeadline(milliseconds: 5000))
    }

    @Test(arguments: [1, 3, 4096]) func aJSONDocumentIsRead(step: Int) throws {
        let response = try run("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", step: step)
        #expect(response.body == Array("{}".utf8))
    }

    static let refused: [(String, String, ClientMetadataError)] = [
        ("redirect 302", "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\n\r\n", .redirected),
        ("redirect 301", "HTTP/1.1 301 Moved\r\nLocation: https://b.example/c\r\n\r\n", .redirected),
        ("redirect 307", "HTTP/1.1 307 Temporary Redirect\r\nLocation: /c2\r\n\r\n", .redirected),
        // Judged by the head alone: the framing that follows is never looked at.
        ("redirect, both framings", "HTTP/1.1 302 Found\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", .redirected),
        ("not found", "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", .unexpectedStatus(404)),
        ("no content", "HTTP/1.1 204 No Content\r\n\r\n", .unexpectedStatus(204)),
        ("server error", "HTTP/1.1 500 Oops\r\n\r\n", .unexpectedStatus(500)),
        ("switching", "HTTP/1.1 101 Switching Protocols\r\n\r\n", .malformedResponse),
        ("html", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\n{}", .notJSON),
        ("no content type", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", .notJSON),
        ("html, gzip", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n", .notJSON),
        ("content encoding", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}", .malformedResponse),
        ("declared too large", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5121\r\n\r\n", .tooLarge),
        ("truncated head", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", .malformedResponse),
        ("truncated body", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{}", .malformedResponse),
    ]

    @Test(arguments: refused) func refuses(_ row: (String, String, ClientMetadataError)) {
        #expect(throws: row.2, "\(row.0)") { try run(row.1, step: 3) }
        #expect(throws: row.2, "\(row.0), one read") { try run(row.1, step: 1 << 16) }
    }

    @Test func structuredJSONMediaTypes() {
        #expect(MetadataExchange.isJSONMediaType("application/json"))
        #expect(MetadataExchange.isJSONMediaType("Application/JSON ; charset=UTF-8"))
        #expect(MetadataExchange.isJSONMediaType("application/oauth-client-metadata+json"))
        #expect(!MetadataExchange.isJSONMediaType("text/json"))
        #expect(!MetadataExchange.isJSONMediaType("text/html"))
        #expect(!MetadataExchange.isJSONMediaType("application/jsonx"))
    }

    @Test func requestIsAMinimalGET() throws {
        let stream = CannedStream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", step: 100)
        _ = try MetadataExchange(maxBodyBytes: 5120).run(Self.url, over: stream, deadline: FetchDeadline(milliseconds: 5000))
        let request = String(decoding: stream.written, as: UTF8.self)
        #expect(request == "GET /c.json?v=1 HTTP/1.1\r\nHost: app.example.com:8443\r\nAccept: application/json\r\n" +
                           "User-Agent: Deskgate-Auth (client metadata fetch)\r\nConnection: close\r\n\r\n")
    }
}
