/// Which redirect URIs a public client may list (OAuth 2.1 §2.3.1, RFC 8252 §7): https
/// anywhere, plain http only back to this machine's loopback, or an app's private-use
/// scheme. Never a fragment, never credentials in the URI, never a scheme a browser would
/// execute or read locally.
enum RedirectURIRule {
    static let maxLength = 2048

    /// Schemes that run code or reach local data when navigated to.
    static let refusedSchemes: Set<String> = ["javascript", "data", "vbscript", "file", "about", "blob",
                                              "filesystem", "view-source", "ws", "wss", "ftp", "mailto", "tel"]

    /// A description of what is wrong, or `nil` when the URI is acceptable.
    static func problem(with uri: String) -> String? {
        guard !uri.isEmpty, uri.utf8.count <= maxLength else { return "a URI must be 1 to \(maxLength) characters" }
        guard uri.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return "URIs must not contain spaces or non-ASCII characters" }
        guard !uri.contains("#") else { return "URIs must not contain a fragment" }
        guard let parts = Parts(uri) else { return "'\(uri.prefix(100))' is not an absolute URI" }
        switch parts.scheme {
        case "https":
            guard parts.hasAuthority, !parts.host.isEmpty else { return "https URIs need a host" }
            guard !parts.hasUserInfo else { return "URIs must not contain a user name or password" }
            return nil
        case "http":
            guard parts.hasAuthority, !parts.hasUserInfo, isLoopback(parts.host) else {
                return "http is allowed only for loopback (127.0.0.1, [::1], localhost)"
            }
            return nil
        default:
            guard !refusedSchemes.contains(parts.scheme) else { return "the \(parts.scheme) scheme is not allowed" }
            guard !parts.rest.isEmpty else { return "'\(uri.prefix(100))' is not an absolute URI" }
            return nil
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "127.0.0.1" || host == "[::1]" || host == "localhost"
    }

    /// Scheme, authority and the rest, enough to apply the rules (not a general URI parser).
    struct Parts {
        let scheme: String
        let hasAuthority: Bool
        let hasUserInfo: Bool
        /// Lower-cased host without the port (IPv6 keeps its brackets); empty without authority.
        let host: String
        /// Everything after the scheme's colon.
        let rest: Substring

        init?(_ uri: String) {
            guard let colon = uri.firstIndex(of: ":") else { return nil }
            let scheme = uri[..<colon]
            // RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
            guard let first = scheme.utf8.first, (first | 0x20) >= 0x61 && (first | 0x20) <= 0x7A,
                  scheme.utf8.allSatisfy({ ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }) else {
                return nil
            }
            self.scheme = scheme.lowercased()
            rest = uri[uri.index(after: colon)...]
            guard rest.hasPrefix("//") else {
                hasAuthority = false
                hasUserInfo = false
                host = ""
                return
            }
            let authority = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" }
            hasAuthority = true
            hasUserInfo = authority.contains("@")
            let hostAndPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
            let hostPart: Substring
            let portPart: Substring
            if hostAndPort.hasPrefix("[") {
                guard let close = hostAndPort.firstIndex(of: "]") else { return nil }
                hostPart = hostAndPort[...close]
                portPart = hostAndPort[hostAndPort.index(after: close)...]
            } else {
                hostPart = hostAndPort.prefix { $0 != ":" }
                portPart = hostAndPort[hostPart.endIndex...]
            }
            // An optional ":digits" after the host, nothing else.
            if !portPart.isEmpty {
                let digits = portPart.dropFirst()
                guard portPart.hasPrefix(":"), digits.count <= 5, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                      (Int(digits) ?? 0) <= 65535 else { return nil }
            }
            host = hostPart.lowercased()
        }
    }
}
