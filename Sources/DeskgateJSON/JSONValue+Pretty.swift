extension JSONValue {
    /// Indented text for documents people read and edit (workflow exports, CLI output).
    /// Scalars are written exactly as `text` writes them; empty containers stay on one line.
    public func prettyText(indent: Int = 2) -> String {
        var out = ""
        writePretty(into: &out, depth: 0, indent: indent)
        return out
    }

    private func writePretty(into out: inout String, depth: Int, indent: Int) {
        let inner = String(repeating: " ", count: (depth + 1) * indent)
        let closing = String(repeating: " ", count: depth * indent)
        switch self {
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += inner
                item.writePretty(into: &out, depth: depth + 1, indent: indent)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += closing + "]"
        case .object(let object) where !object.isEmpty:
            out += "{\n"
            for (index, member) in object.enumerated() {
                out += inner + JSONValue.string(member.key).text + ": "
                member.value.writePretty(into: &out, depth: depth + 1, indent: indent)
                out += index == object.count - 1 ? "\n" : ",\n"
            }
            out += closing + "}"
        default:
            out += text
        }
    }
}
