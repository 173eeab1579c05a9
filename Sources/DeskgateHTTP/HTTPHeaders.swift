/// An ordered list of header fields.
///
/// Request header names are lowercased by the parser, so lookups compare bytes;
/// response headers keep the spelling the handler gave them.
public struct HTTPHeaders: Sendable, Sequence {
    public typealias Field = (name: String, value: String)
    public private(set) var fields: [Field]

    public init(_ fields: [Field] = []) { self.fields = fields }

    init(capacity: Int) {
        fields = []
        fields.reserveCapacity(capacity)
    }

    public var count: Int { fields.count }

    /// The first value of `name` (case-insensitive).
    public subscript(name: String) -> String? {
        for field in fields where field.name.equalsIgnoringASCIICase(name) { return field.value }
        return nil
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Replaces every field named `name` with one field.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append((name, value))
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }
}

extension String {
    /// ASCII case-insensitive equality without allocating lowercased copies (header names are ASCII).
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        // Request names are lowercased by the parser and looked up by lowercase literals: most
        // checks end at the length or at plain equality (the zip loop cost ~120 instructions
        // per field, ~14k per MCP request, callgrind).
        guard utf8.count == other.utf8.count else { return false }
        if self == other { return true }
        for (a, b) in zip(utf8, other.utf8) where a != b {
            let lowerA = a >= 0x41 && a <= 0x5A ? a | 0x20 : a
            let lowerB = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            if lowerA != lowerB { return false }
        }
        return true
    }
}
