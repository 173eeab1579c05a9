/// What the first byte on a TLS port says about the client, before any TLS state is made.
public enum TLSFirstByte: Equatable, Sendable {
    /// A TLS handshake record (content type 22): go on with the handshake.
    case handshake
    /// An HTTP method's first letter: a client speaking plain HTTP to the HTTPS port, which
    /// gets a readable 400 (as nginx does) instead of a silent close.
    case plainHTTP
    /// Anything else: closed without a word.
    case other

    public init(_ byte: UInt8) {
        switch byte {
        case 0x16: self = .handshake
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): self = .plainHTTP
        default: self = .other
        }
    }
}
