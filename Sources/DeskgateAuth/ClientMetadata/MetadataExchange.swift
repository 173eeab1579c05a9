import DeskgateHTTPClient

/// The one GET of a metadata fetch: the request, and the judgement of the response head
/// (status, media type) before any of the body is read, so a redirect or an error page is
/// refused without downloading it.
struct MetadataExchange {
    let maxBodyBytes: Int

    func fields(for url: ClientMetadataURL) -> [(name: String, value: String)] {
        [("Host", url.hostHeader), ("Accept", "application/json"), ("User-Agent", "Deskgate-Auth (client metadata fetch)")]
    }

    func run(_ url: ClientMetadataURL, over stream: any ByteStream, deadline: FetchDeadline) throws(ClientMetadataError) -> HTTPClientResponse {
        var exchange: HTTPClientExchange
        let head: HTTPClientResponseHead
        do throws(HTTPClientError) {
            exchange = try HTTPClientExchange.get(url.requestTarget, fields: fields(for: url), over: stream,
                                                  deadline: deadline, maxBodyBytes: maxBodyBytes)
            head = try exchange.readHead()
        } catch {
            throw ClientMetadataError(error)
        }
        if let refusal = Self.refusal(of: head) { throw refusal }
        do throws(HTTPClientError) {
            return try exchange.readBody()
        } catch {
            throw ClientMetadataError(error)
        }
    }

    /// Why a final head is not a document's, or nil when the body should be read.
    static func refusal(of head: HTTPClientResponseHead) -> ClientMetadataError? {
        switch head.status {
        case 300..<400: return .redirected
        case 200: break
        default: return .unexpectedStatus(head.status)
        }
        guard let contentType = head.header("content-type"), isJSONMediaType(contentType) else { return .notJSON }
        return nil
    }

    /// `application/json` or a structured-syntax `application/*+json`, any parameters.
    static func isJSONMediaType(_ value: String) -> Bool {
        let type = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingHTTPWhitespace().lowercased() } ?? ""
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }
}
