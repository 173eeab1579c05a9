import DeskgateHTTPClient

/// Why a client ID metadata document was not accepted.
///
/// Every `description` is written for an OAuth `error_description`: it tells the client's
/// developer what to fix, and nothing that would let someone map our network (every refused
/// destination reads the same "address not allowed", whatever the range, and resolution or
/// connection failures never echo an address or a system error).
public enum ClientMetadataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The client_id is not a URL we are willing to fetch; the text says which rule it broke.
    case invalidURL(String)
    /// The host is, or resolves to, an address outside the public internet.
    case addressNotAllowed
    /// The host name did not resolve.
    case hostNotFound
    /// No connection could be made to the host.
    case connectionFailed
    /// The fetch did not finish within the time limit.
    case timedOut
    /// The TLS handshake failed or the certificate did not verify for the host.
    case tlsFailed
    /// The server answered with a redirect (never followed).
    case redirected
    /// The server answered with a status other than 200.
    case unexpectedStatus(Int)
    /// The response is not `application/json`.
    case notJSON
    /// The document (or its headers) exceeds the size limit.
    case tooLarge
    /// The response is not well-formed HTTP/1.1.
    case malformedResponse
    /// The document was fetched but is not acceptable; the text names the field and rule.
    case invalidDocument(String)

    /// Limited to the characters RFC 6749 §5.2 allows in `error_description` (printable ASCII
    /// without `"` and `\`), since parts of it can come from the document or the URL.
    public var description: String {
        let text = String(unsanitizedDescription.prefix(300))
        return String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            switch scalar.value {
            case 0x22: return "'"
            case 0x20...0x21, 0x23...0x5B, 0x5D...0x7E: return scalar
            default: return "?"
            }
        }))
    }

    /// The outbound client's failure, in this boundary's words.
    init(_ error: HTTPClientError) {
        switch error {
        case .addressNotAllowed: self = .addressNotAllowed
        case .hostNotFound: self = .hostNotFound
        case .connectionFailed: self = .connectionFailed
        case .timedOut: self = .timedOut
        case .tlsFailed: self = .tlsFailed
        case .tooLarge: self = .tooLarge
        case .malformedResponse: self = .malformedResponse
        }
    }

    private var unsanitizedDescription: String {
        switch self {
        case .invalidURL(let reason): return "client_id is not a valid client metadata URL: \(reason)"
        case .addressNotAllowed: return "client metadata URL host address not allowed"
        case .hostNotFound: return "client metadata URL host could not be resolved"
        case .connectionFailed: return "client metadata document could not be fetched: connection failed"
        case .timedOut: return "client metadata document could not be fetched: timed out"
        case .tlsFailed: return "client metadata document could not be fetched: TLS handshake or certificate verification failed"
        case .redirected: return "client metadata document fetch was redirected (redirects are not followed)"
        case .unexpectedStatus(let status): return "client metadata document fetch returned HTTP status \(status), expected 200"
        case .notJSON: return "client metadata document must be served as application/json"
        case .tooLarge: return "client metadata document exceeds the size limit"
        case .malformedResponse: return "client metadata document fetch returned a malformed HTTP response"
        case .invalidDocument(let reason): return "invalid client metadata document: \(reason)"
        }
    }
}
