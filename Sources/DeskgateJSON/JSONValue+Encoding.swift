// Compact encoding: no whitespace, object members in their stored order.
extension JSONValue {
    public func encoded() -> [UInt8] {
        var sink = ByteSink(capacity: 1024)
        defer { sink.release() }
        write(to: &sink)
        return Array(sink.buffer)
    }

    /// Appends to `out`, so a caller can write headers and body into one buffer.
    public func encode(into out: inout [UInt8]) {
        var sink = ByteSink(capacity: 1024)
        defer { sink.release() }
        write(to: &sink)
        out.append(contentsOf: sink.buffer)
    }

    func write(to out: inout ByteSink) {
        switch self {
        case .null:
            JSONOutput.appendLiteral("null", to: &out)
        case .bool(let b):
            JSONOutput.appendLiteral(b ? "true" : "false", to: &out)
        case .number(let n):
            var text = n.text
            text.withUTF8 { out.appendBytes($0) }
        case .string(let s):
            JSONOutput.appendString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            // Indexing (not `for element in`) borrows each element instead of copying it out,
            // which saved a retain/release pair per element.
            for position in elements.indices {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                elements[position].write(to: &out)
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
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The compact encoding as a `String` (for logs and tests; the server writes bytes).
    public var text: String {
        String(decoding: encoded(), as: UTF8.self)
    }
}
