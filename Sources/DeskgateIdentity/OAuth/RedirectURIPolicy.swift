/// Which redirect URIs a client may register, and when a request's URI matches a registered one.
///
/// Registration (RFC 8252, OAuth 2.1 §2.3.1): `https` anywhere; `http` only on a loopback
/// host (`127.0.0.1`, `[::1]`, `localhost`), with or without a port; a private-use scheme
/// (`com.example.app:/cb`, `vscode://…`) only for native apps. Never a fragment or userinfo.
/// Matching is exact string comparison, except that a loopback `http` URI matches on any
/// port (RFC 8252 §7.3: native apps bind an ephemeral port at run time).
public enum RedirectURIPolicy {
    /// Schemes that execute, read files or are not redirects at all.
    static let forbiddenSchemes: Set<String> = ["javascript", "data", "file", "vbscript", "about", "blob", "ftp", "ws", "wss",
                                                "mailto", "tel", "intent", "chrome", "view-source"]

    /// Nil when `uri` may be registered; otherwise why not (an `error_description`).
    public static func registrationProblem(_ uri: String, native: Bool) -> String? {
        guard uri.count <= 2000 else { return "redirect URI is longer than 2000 characters" }
        guard let parsed = ParsedURI(uri) else { return "'\(uri)' is not an absolute URI" }
        if parsed.hasFragment { return "redirect URIs must not contain a fragment: \(uri)" }
        switch parsed.scheme {
        case "https":
            guard let host = parsed.host, !host.isEmpty else { return "https redirect URI without a host: \(uri)" }
            if parsed.hasUserInfo { return "redirect URIs must not contain user information: \(uri)" }
            return nil
        case "http":
            guard parsed.isLoopback else {
                return "http redirect URIs are only allowed on loopback (127.0.0.1, [::1], localhost); use https: \(uri)"
            }
            if parsed.hasUserInfo { return "redirect URIs must not contain user information: \(uri)" }
            return nil
        default:
            if forbiddenSchemes.contains(parsed.scheme) { return "the '\(parsed.scheme)' scheme cannot be a redirect URI" }
            guard native else {
                return "private-use scheme '\(parsed.scheme):' redirect URIs need application_type \"native\": \(uri)"
            }
            return nil
        }
    }

    /// True when `requested` is one of `registered` (loopback http: any port on both sides).
    public static func matches(_ requested: String, registered: [String]) -> Bool {
        if registered.contains(requested) { return true }
        guard let asked = ParsedURI(requested), asked.scheme == "http", asked.isLoopback, !asked.hasFragment,
              !asked.hasUserInfo else { return false }
        return registered.contains { candidate in
            guard let known = ParsedURI(candidate), known.scheme == "http", known.isLoopback else { return false }
            return known.host == asked.host && known.pathAndQuery == asked.pathAndQuery
        }
    }

    /// True for an `http` loopback URI (consent pages warn that such an app runs on this device).
    public static func isLoopback(_ uri: String) -> Bool { ParsedURI(uri)?.isLoopback ?? false }

    /// The host shown on the consent page (the scheme for private-use URIs).
    public static func displayHost(_ uri: String) -> String {
        guard let parsed = ParsedURI(uri) else { return uri }
        return parsed.host.map { $0.isEmpty ? parsed.scheme + ":" : $0 } ?? parsed.scheme + ":"
    }
}

/// Just enough of RFC 3986 to classify a redirect URI: scheme, authority, path and query.
struct ParsedURI {
    let scheme: String
    /// Lowercased; nil without an authority (`com.example:/cb`).
    let host: String?
    let port: String?
    let hasUserInfo: Bool
    let pathAndQuery: Substring
    let hasFragment: Bool

    init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") })
        else { return nil }
        guard !text.contains(where: { $0.isWhitespace || $0 == "\\" || ($0.asciiValue.map { $0 < 0x20 } ?? false) }) else {
            return nil
        }
        self.scheme = scheme.lowercased()
        var rest = text[text.index(after: colon)...]
        hasFragment = rest.contains("#")
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            var authority = rest[..<end]
            pathAndQuery = rest[end...]
            hasUserInfo = authority.contains("@")
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            if authority.hasPrefix("[") {
                guard let close = authority.firstIndex(of: "]") else { return nil }
                host = authority[...close].lowercased()
                let after = authority[authority.index(after: close)...]
                if after.isEmpty {
                    port = nil
                } else {
                    guard after.hasPrefix(":") else { return nil }
                    port = String(after.dropFirst())
                }
            } else if let portColon = authority.lastIndex(of: ":") {
                host = authority[..<portColon].lowercased()
                port = String(authority[authority.index(after: portColon)...])
            } else {
                host = authority.lowercased()
                port = nil
            }
            if let port, !port.allSatisfy({ $0.isASCII && $0.isNumber }) { return nil }
        } else {
            host = nil
            port = nil
            hasUserInfo = false
            pathAndQuery = rest
            if scheme == "http" || scheme == "https" { return nil }
        }
    }

    var isLoopback: Bool {
        scheme == "http" && (host == "127.0.0.1" || host == "[::1]" || host == "localhost")
    }
}
