/// Reading cookies from a request (`Cookie: a=1; b=2`, RFC 6265 §5.4): the first pair named
/// `name` wins; pairs without `=` are skipped; values are returned as sent (Deskgate's own
/// cookies are base64url and need no unquoting).
public enum CookieHeader {
    public static func value(_ name: String, in headers: HTTPHeaders) -> String? {
        for header in headers.values("cookie") {
            if let found = value(name, inField: header) { return found }
        }
        return nil
    }

    /// The same, in one `Cookie` field value.
    public static func value(_ name: String, inField field: String) -> String? {
        for pair in field.split(separator: ";") {
            let trimmed = pair.drop { $0 == " " }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            if trimmed[..<equals] == name { return String(trimmed[trimmed.index(after: equals)...]) }
        }
        return nil
    }
}
