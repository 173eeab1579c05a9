/// RFC 8707 resource indicators, compared in one canonical spelling: lowercase scheme and
/// host, no trailing slash (clients vary on both), no fragment.
public enum ResourceIndicator {
    public static func canonical(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = text[schemeEnd.upperBound...]
        let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var tail = String(rest[hostEnd...])
        if let hash = tail.firstIndex(of: "#") { tail = String(tail[..<hash]) }
        while tail.hasSuffix("/") { tail.removeLast() }
        return scheme + "://" + rest[..<hostEnd].lowercased() + tail
    }

    /// Nil when `text` is acceptable as a resource parameter at all (RFC 8707 §2: absolute URI, no fragment).
    public static func problem(_ text: String) -> String? {
        guard text.contains("://"), !text.contains("#") else { return "resource must be an absolute URI without a fragment" }
        return nil
    }
}
