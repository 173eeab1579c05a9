/// Why an outbound HTTP exchange failed. The cases name what went wrong, never an address or a
/// system error: callers show them to whoever chose the URL, who must not learn our network.
public enum HTTPClientError: Error, Sendable, Equatable {
    /// The host is, or resolves to, an address outside what `AddressPolicy` allows.
    case addressNotAllowed
    /// The host name did not resolve.
    case hostNotFound
    /// No connection could be made, or it broke.
    case connectionFailed
    /// The exchange did not finish before its deadline.
    case timedOut
    /// The TLS handshake failed or the certificate did not verify for the host.
    case tlsFailed
    /// The response head or body exceeds its size limit.
    case tooLarge
    /// The response is not well-formed HTTP/1.1, or uses a framing or coding we refuse.
    case malformedResponse
}
