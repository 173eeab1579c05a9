import DeskgateHTTP

/// Decoded form or query parameters. OAuth forbids repeating a parameter (RFC 6749 §3.1),
/// so a repeated one is reported rather than silently taking the first.
struct FormFields {
    private(set) var values: [String: String] = [:]
    private(set) var repeated: String?
    /// Every pair in order, for the fields a page form repeats on purpose (checkboxes).
    private(set) var pairs: [(name: String, value: String)] = []

    init(_ pairs: [(name: String, value: String)]) {
        self.pairs = pairs
        for pair in pairs {
            if values[pair.name] != nil { repeated = repeated ?? pair.name }
            values[pair.name] = pair.value
        }
    }

    init(query request: Request) { self.init(request.queryItems) }

    /// The body of an `application/x-www-form-urlencoded` POST (nil for another content type).
    static func body(of request: Request) -> FormFields? {
        guard let type = request.headers["content-type"]?.lowercased(),
              type.hasPrefix("application/x-www-form-urlencoded") else { return nil }
        return FormFields(FormURLEncoding.decode(request.bodyText))
    }

    /// Every non-empty value of a repeated field (`scope=a&scope=b`), in order.
    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name && !$0.value.isEmpty }.map(\.value)
    }

    /// Empty values count as absent (RFC 6749 §3.1).
    subscript(name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }
}
