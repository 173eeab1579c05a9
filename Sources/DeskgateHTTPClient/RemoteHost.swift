/// The host part of a URL to fetch: what TLS verifies the certificate for, and (for a name)
/// what SNI carries.
public enum RemoteHost: Equatable, Sendable {
    /// A DNS name, lower-cased, without a trailing dot.
    case name(String)
    /// An IP literal.
    case address(IPAddress)
}
