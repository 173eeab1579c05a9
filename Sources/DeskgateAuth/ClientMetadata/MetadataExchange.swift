/// The one HTTP/1.1 request of a metadata fetch and the read loop that feeds its response
/// parser until the response is complete, refused, or out of time.
struct MetadataExchange {
    let maxBodyBytes: Int

    func request(for url: ClientMetadataURL) -> [UInt8] {
        // No Accept-Encoding: the body must arrive as the bytes that are capped and parsed.
        Array(("GET \(url.requestTarget) HTTP/1.1\r\n" +
               "Host: \(url.hostHeader)\r\n" +
               "Accept: application/json\r\n" +
               "User-Agent: Deskgate-Auth (client metadata fetch)\r\n" +
               "Connection: close\r\n\r\n").utf8)
    }

    func run(_ url: ClientMetadataURL, over stream: any ByteStream, deadline: FetchDeadline) throws(ClientMetadataError) -> MetadataResponse {
        try stream.write(request(for: url), deadline: deadline)
        var parser = MetadataResponseParser(maxBodyBytes: maxBodyBytes)
        while true {
            let bytes = try stream.read(maxCount: 4096, deadline: deadline)
            if bytes.isEmpty {
                try parser.finish()
                break
            }
            if try parser.feed(bytes) { break }
        }
        guard let response = parser.response else { throw .malformedResponse }
        return response
    }
}
