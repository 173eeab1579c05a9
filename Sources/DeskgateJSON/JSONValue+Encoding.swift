// Compact encoding: no whitespace, object members in their stored order.
extension JSONValue {
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        encode(into: &out)
        return out
    }

    /// Appends to `out`, so a caller can write headers and body into one buffer.
    public func encode(into out: inout [UInt8]) {
        switch self {
        case .null:
            JSONOutput.appendLiteral("null", to: &out)
        case .bool(let b):
            JSONOutput.appendLiteral(b ? "true" : "false", to: &out)
        case .number(let n):
            out.append(contentsOf: n.text.utf8)
        case .string(let s):
            JSONOutput.appendString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                element.encode(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in object {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONOutput.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.encode(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The compact encoding as a `String` (for logs and tests; the server writes bytes).
    public var text: String {
        String(decoding: encoded(), as: UTF8.self)
    }
}
