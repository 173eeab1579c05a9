/// Which certificate answers a TLS client's server name (SNI): an exact name first, then a
/// wildcard covering exactly one leftmost label (`*.example.com` matches `a.example.com`, not
/// `example.com` nor `a.b.example.com`), then the default (the first certificate).
///
/// Names compare without case and without a trailing dot. A value, so the rule is tested
/// without sockets or certificates.
public struct TLSServerNames: Sendable, Equatable {
    private var exact: [String: Int] = [:]
    private var wildcards: [String: Int] = [:]

    public static let defaultIndex = 0

    /// `names[i]` are the DNS names certificate `i` covers; an earlier certificate wins a tie.
    public init(names: [[String]]) {
        for (index, list) in names.enumerated() {
            for name in list {
                let normalized = Self.normalize(name)
                if normalized.hasPrefix("*.") {
                    let suffix = String(normalized.dropFirst(2))
                    if !suffix.isEmpty, wildcards[suffix] == nil { wildcards[suffix] = index }
                } else if !normalized.isEmpty, exact[normalized] == nil {
                    exact[normalized] = index
                }
            }
        }
    }

    /// The certificate for `serverName` (nil: the client sent none).
    public func certificateIndex(for serverName: String?) -> Int {
        guard let serverName else { return Self.defaultIndex }
        let name = Self.normalize(serverName)
        if let index = exact[name] { return index }
        if let dot = name.firstIndex(of: "."), dot != name.startIndex {
            let parent = String(name[name.index(after: dot)...])
            if let index = wildcards[parent] { return index }
        }
        return Self.defaultIndex
    }

    static func normalize(_ name: String) -> String {
        var lowered = name.lowercased()
        if lowered.hasSuffix(".") { lowered.removeLast() }
        return lowered
    }
}
