/// One HTTP/1.1 request and its response over a fresh stream (`Connection: close`): sends the
/// request, reads until the final head is in (`readHead`), and, when the caller still wants
/// it after judging the head, reads the body (`readBody`). Every wait is bounded by the deadline.
public struct HTTPClientExchange {
    private let stream: any ByteStream
    private let deadline: FetchDeadline
    private var parser: ResponseParser

    /// Sends `GET target` with `fields` in the order given, then `Connection: close`. No
    /// `Accept-Encoding` is added: the body must arrive as the bytes that are capped and parsed.
    public static func get(_ target: String, fields: [(name: String, value: String)], over stream: any ByteStream,
                           deadline: FetchDeadline, maxBodyBytes: Int) throws(HTTPClientError) -> HTTPClientExchange {
        try stream.write(request(target, fields: fields), deadline: deadline)
        return HTTPClientExchange(stream: stream, deadline: deadline, parser: ResponseParser(maxBodyBytes: maxBodyBytes))
    }

    /// The bytes of the request `get` sends.
    public static func request(_ target: String, fields: [(name: String, value: String)]) -> [UInt8] {
        var text = "GET \(target) HTTP/1.1\r\n"
        for field in fields { text += "\(field.name): \(field.value)\r\n" }
        text += "Connection: close\r\n\r\n"
        return Array(text.utf8)
    }

    private init(stream: any ByteStream, deadline: FetchDeadline, parser: ResponseParser) {
        self.stream = stream
        self.deadline = deadline
        self.parser = parser
    }

    /// The final response head (interim 1xx responses are skipped).
    public mutating func readHead() throws(HTTPClientError) -> HTTPClientResponseHead {
        while true {
            if let head = parser.head { return head }
            let bytes = try stream.read(maxCount: 4096, deadline: deadline)
            if bytes.isEmpty { throw .malformedResponse }
            try parser.feed(bytes)
        }
    }

    /// The complete response, reading its body by the head's framing.
    public mutating func readBody() throws(HTTPClientError) -> HTTPClientResponse {
        try parser.beginBody()
        while true {
            if let response = parser.response { return response }
            let bytes = try stream.read(maxCount: 4096, deadline: deadline)
            if bytes.isEmpty {
                try parser.finish()
            } else {
                try parser.feed(bytes)
            }
        }
    }
}
