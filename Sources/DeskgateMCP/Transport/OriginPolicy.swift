/// The DNS-rebinding defence: a browser page may only reach the MCP endpoint from an allowed
/// origin. Requests without `Origin` (native clients, server-side proxies) are allowed.
struct OriginPolicy: Sendable {
    let allowed: Set<String>

    /// `configured` entries are exact origins (`https://app.example.com`); by default the
    /// servers' own public origins and loopback origins on any port are allowed.
    init(configured: [String], publicURLs: [String]) {
        var origins = Set(configured.map(Self.normalize))
        for url in publicURLs { if let origin = Self.origin(of: url) { origins.insert(origin) } }
        allowed = origins
    }

    func permits(_ origin: String?) -> Bool {
        guard let origin, !origin.isEmpty else { return true }
        let normalized = Self.normalize(origin)
        if allowed.contains(normalized) { return true }
        return Self.isLoopback(normalized)
    }

    static func isLoopback(_ origin: String) -> Bool {
        for prefix in ["http://localhost", "http://127.0.0.1", "http://[::1]", "https://localhost", "https://127.0.0.1"] {
            guard origin.hasPrefix(prefix) else { continue }
            let rest = origin.dropFirst(prefix.count)
            if rest.isEmpty { return true }
            if rest.first == ":", rest.dropFirst().allSatisfy(\.isNumber), rest.count > 1 { return true }
        }
        return false
    }

    static func normalize(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// `scheme://host[:port]` of a URL.
    static func origin(of url: String) -> String? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let afterScheme = url[schemeEnd.upperBound...]
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return normalize(String(url[..<schemeEnd.upperBound]) + authority)
    }
}
