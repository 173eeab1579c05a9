import DeskgateModel

/// A custom domain's host name (issue 20): a DNS name, lowercase, without port, scheme or
/// trailing dot, at most 253 bytes, at least two labels of a-z, 0-9 and '-' (1–63 bytes, no
/// '-' at either end), and not an IP literal. The same rule reads a request's Host header, so
/// what an operator can register is exactly what a request can reach.
public enum TenantHostName {
    /// The name an operator typed, lowercased, or `DeskError.invalid` saying what is wrong.
    public static func validate(_ text: String) throws -> String {
        let name = lowercased(text)
        if let reason = problem(name) { throw DeskError.invalid(field: "host", reason: reason) }
        return name
    }

    /// The host a `Host` header names (its port dropped, lowercased), or nil when it cannot be
    /// a tenant's host: an IP literal, a bracketed IPv6 address, anything not a DNS name.
    public static func fromHeader(_ value: String) -> String? {
        var name = Substring(value)
        if let colon = name.lastIndex(of: ":") {
            let port = name[name.index(after: colon)...]
            guard port.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            name = name[..<colon]
        }
        let lower = lowercased(String(name))
        return problem(lower) == nil ? lower : nil
    }

    /// Why `name` (already lowercase) is not a valid host, or nil.
    static func problem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        if bytes.isEmpty { return "is empty" }
        if bytes.count > 253 { return "is longer than 253 characters" }
        if name.contains("://") || name.contains("/") { return "must be a bare host name, without scheme or path" }
        if name.contains(":") || name.hasPrefix("[") { return "must not carry a port or be an IPv6 address" }
        if bytes.last == UInt8(ascii: ".") { return "must not end with a dot" }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if labels.count < 2 { return "must have at least two labels (e.g. help.example.com)" }
        for label in labels {
            if label.isEmpty { return "has an empty label" }
            if label.count > 63 { return "has a label longer than 63 characters" }
            guard label.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }) else {
                return "may only contain a-z, 0-9, '-' and '.'"
            }
            if label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") {
                return "labels must not start or end with '-'"
            }
        }
        // No top-level domain is numeric: a numeric last label makes it an IPv4 address (or a
        // shorthand of one that resolvers accept, such as 127.1).
        if labels.last!.allSatisfy({ (0x30...0x39).contains($0) }) { return "must not be an IP address" }
        return nil
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }

    /// ASCII lowercase only: a non-ASCII name stays non-ASCII and is refused.
    private static func lowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
