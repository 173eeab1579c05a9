/// Validation messages shown next to the input they are about, when a POST handler re-renders
/// its form (status 422) instead of redirecting. Usage in a page:
///
///     <label for="name">Name</label>
///     <input id="name" name="name" value="…"\(errors.attributes("name"))>
///     \(errors.message("name"))
///
/// `attributes` marks the input `aria-invalid` and points `aria-describedby` at the message,
/// so screen readers read the message with the field.
struct FieldErrors: Sendable, Equatable {
    private(set) var messages: [String: String] = [:]
    /// Fields in the order their errors were added (the summary banner lists them so).
    private(set) var order: [String] = []

    var isEmpty: Bool { messages.isEmpty }

    subscript(field: String) -> String? { messages[field] }

    mutating func add(_ field: String, _ message: String) {
        if messages[field] == nil { order.append(field) }
        messages[field] = message
    }

    static func id(_ field: String) -> String { "\(field)-error" }

    /// ` aria-invalid="true" aria-describedby="FIELD-error"` for a field with an error, else "".
    func attributes(_ field: String) -> String {
        guard messages[field] != nil else { return "" }
        return " aria-invalid=\"true\" aria-describedby=\"\(HTML.escape(Self.id(field)))\""
    }

    /// The message paragraph for `field`, or "".
    func message(_ field: String) -> String {
        guard let text = messages[field] else { return "" }
        return "<p class=\"field-error\" id=\"\(HTML.escape(Self.id(field)))\">\(HTML.escape(text))</p>"
    }
}
