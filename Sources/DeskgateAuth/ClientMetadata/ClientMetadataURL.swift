import DeskgateHTTPClient

/// A client_id URL broken into what the fetch needs, after every rule a URL must pass
/// before any network activity: https (or, with the development flag, http to loopback),
/// a host, a real path, no userinfo, no fragment, no dot segments, bounded length.
struct ClientMetadataURL: Equatable, Sendable {
    /// A DNS name, or an IP literal (`[v6]` or a dotted quad in the URL).
    typealias Host = RemoteHost

    static let maxLength = 2048

    /// The client_id exactly as given: the document's own client_id must equal it.
    let text: String
    /// True only for the development flag's plain-HTTP loopback documents.
    let isInsecureLoopback: Bool
    let host: Host
    let port: Int
    /// Path and query, sent as the request target.
    let requestTarget: String
    /// The Host header value (host as written, with the port when it is not the default).
    let hostHeader: String

    /// The name TLS must verify and present in SNI (`nil` for an IP literal: SNI carries names only).
    var serverName: String? {
        if case .name(let name) = host { return name }
        return nil
    }

    /// Whether the text has the shape of a metadata URL at all, so callers can tell a URL
    /// client_id (fetch it, and report what is wrong with it) from a registered one.
    static func looksLikeURL(_ text: String) -> Bool {
        let lower = text.prefix(8).lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }

    init(_ text: String, allowInsecureLoopback: Bool) throws(ClientMetadataError) {
        guard text.utf8.count <= Self.maxLength else { throw .invalidURL("longer than \(Self.maxLength) characters") }
        // Printable ASCII only: no spaces, controls, backslashes or raw Unicode (IDNs come as punycode).
        guard text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) else {
            throw .invalidURL("contains characters not allowed in a URL")
        }
        guard !text.contains("#") else { throw .invalidURL("must not contain a fragment") }

        let insecure: Bool
        let rest: Substring
        if text.hasPrefix("https://") {
            insecure = false
            rest = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            guard allowInsecureLoopback else { throw .invalidURL("must use https") }
            insecure = true
            rest = text.dropFirst(7)
        } else {
            throw .invalidURL("must use https")
        }

        guard let slash = rest.firstIndex(of: "/") else { throw .invalidURL("must have a path") }
        let authority = rest[..<slash]
        let target = rest[slash...]
        guard !authority.contains("?") else { throw .invalidURL("must have a path") }
        guard !authority.contains("@") else { throw .invalidURL("must not contain a user name or password") }

        let (hostText, port) = try Self.splitAuthority(authority, defaultPort: insecure ? 80 : 443)
        let host = try Self.parseHost(hostText)
        try Self.checkTarget(target)

        if insecure {
            let loopback: Bool
            switch host {
            case .name(let name): loopback = name == "localhost"
            case .address(let address): loopback = address == IPAddress(literal: "127.0.0.1") || address == IPAddress(literal: "::1")
            }
            guard loopback else { throw .invalidURL("must use https (plain http is allowed for loopback development only)") }
        }

        self.text = text
        self.isInsecureLoopback = insecure
        self.host = host
        self.port = port
        self.requestTarget = String(target)
        self.hostHeader = String(authority)
    }

    private static func splitAuthority(_ authority: Substring, defaultPort: Int) throws(ClientMetadataError) -> (Substring, Int) {
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidURL("malformed IPv6 host") }
            hostPart = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidURL("malformed host") }
                portPart = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw .invalidURL("must have a host") }
        guard let portPart else { return (hostPart, defaultPort) }
        guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(portPart), (1...65535).contains(port) else {
            throw .invalidURL("invalid port")
        }
        return (hostPart, port)
    }

    private static func parseHost(_ text: Substring) throws(ClientMetadataError) -> Host {
        if text.hasPrefix("[") {
            let inner = String(text.dropFirst().dropLast())
            // No zone identifiers: a scoped address is link-local by definition.
            guard !inner.contains("%"), inner.contains(":"), let address = IPAddress(literal: inner),
                  address.family == .v6 else {
                throw .invalidURL("malformed IPv6 host")
            }
            return .address(address)
        }
        let name = text.lowercased()
        guard name.utf8.count <= 253, !name.hasSuffix(".") else { throw .invalidURL("invalid host name") }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard (1...63).contains(label.utf8.count),
                  label.utf8.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") }),
                  !label.hasPrefix("-"), !label.hasSuffix("-") else {
                throw .invalidURL("invalid host name")
            }
        }
        // A numeric last label means the host is an IPv4 address: only the strict dotted quad is
        // accepted, never the forms resolvers also take (2130706433, 0x7f.1, 017.0.0.1).
        let last = labels.last ?? ""
        if last.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) || last.hasPrefix("0x") {
            guard labels.count == 4, let address = IPAddress(literal: name), address.description == name else {
                throw .invalidURL("invalid IPv4 host")
            }
            return .address(address)
        }
        return .name(name)
    }

    private static func checkTarget(_ target: Substring) throws(ClientMetadataError) {
        let path = target.prefix { $0 != "?" }
        guard path.count > 1 else { throw .invalidURL("must have a path") }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            let decoded = segment.lowercased().replacingPercentEncodedDots()
            guard decoded != "." && decoded != ".." else { throw .invalidURL("must not contain dot path segments") }
        }
        // Percent signs must start a well-formed escape.
        let bytes = Array(target.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else {
                    throw .invalidURL("malformed percent-encoding")
                }
                index += 3
            } else {
                index += 1
            }
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }
}

private extension String {
    /// `%2e` is a dot to a server normalising the path, so it counts for the dot-segment rule.
    func replacingPercentEncodedDots() -> String {
        let bytes = Array(utf8)
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if index + 2 < bytes.count, bytes[index] == UInt8(ascii: "%"), bytes[index + 1] == UInt8(ascii: "2"),
               bytes[index + 2] | 0x20 == UInt8(ascii: "e") {
                result.append(UInt8(ascii: "."))
                index += 3
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
