/// An ordered list of header fields.
///
/// Request header names are lowercased by the parser, so lookups compare bytes;
/// response headers keep the spelling the handler gave them.
///
/// A parsed request's fields stay in the bytes they arrived in (`ParsedHeaderBlock`) until
/// someone iterates or changes them: a lookup builds only the value it returns. Two `String`s
/// per field, built for every field whether anyone read it or not, were most of the ~15k
/// instructions an MCP request spent in the HTTP parser (callgrind).
public struct HTTPHeaders: Sendable, Sequence {
    public typealias Field = (name: String, value: String)

    private enum Storage: Sendable {
        case fields([Field])
        case parsed(SharedHeaderBlock)
    }

    /// `ManagedBuffer` is never `Sendable`; a parsed block is not changed once the parser hands
    /// it out, so sharing it across threads is safe.
    private struct SharedHeaderBlock: @unchecked Sendable {
        let block: ParsedHeaderBlock
    }

    private var storage: Storage

    public init(_ fields: [Field] = []) { storage = .fields(fields) }

    init(parsed block: ParsedHeaderBlock) { storage = .parsed(SharedHeaderBlock(block: block)) }

    /// Every field as strings, in order.
    public var fields: [Field] {
        switch storage {
        case .fields(let fields): return fields
        case .parsed(let shared): return shared.block.materialized()
        }
    }

    public var count: Int {
        switch storage {
        case .fields(let fields): return fields.count
        case .parsed(let shared): return shared.block.spanCount
        }
    }

    /// The first value of `name` (case-insensitive).
    public subscript(name: String) -> String? {
        switch storage {
        case .fields(let fields):
            for field in fields where field.name.equalsIgnoringASCIICase(name) { return field.value }
            return nil
        case .parsed(let shared):
            return shared.block.firstValue(name)
        }
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    /// Whether the first value of `name` is exactly `expected`, compared on bytes (no `String`
    /// is built for a parsed request's value). False when the field is absent.
    public func value(_ name: String, equals expected: String) -> Bool {
        switch storage {
        case .fields: return self[name] == expected
        case .parsed(let shared):
            guard let i = shared.block.firstIndex(name) else { return false }
            return shared.block.value(i, equals: expected)
        }
    }

    /// Calls `body` with the bytes of the first value of `name` (nil when absent), without
    /// building a `String` for a parsed request's value: checks that only look at a value
    /// (a media type, an auth scheme) then cost no allocation.
    public func withValueBytes<T>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        switch storage {
        case .fields:
            guard var value = self[name] else { return body(nil) }
            return value.withUTF8 { body($0) }
        case .parsed(let shared):
            guard let i = shared.block.firstIndex(name) else { return body(nil) }
            return shared.block.withValueBytes(i, body)
        }
    }

    public func contains(_ name: String) -> Bool {
        switch storage {
        case .fields: return self[name] != nil
        case .parsed(let shared): return shared.block.firstIndex(name) != nil
        }
    }

    public mutating func add(_ name: String, _ value: String) {
        var fields = takeFields()
        fields.append((name, value))
        storage = .fields(fields)
    }

    /// Replaces every field named `name` with one field.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    public mutating func remove(_ name: String) {
        var fields = takeFields()
        fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
        storage = .fields(fields)
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// Calls `body` with the parser's block (names lowercased, values as bytes), for the
    /// parser's own checks; nil for headers that were built, not parsed.
    func withParsedBlock<T>(_ body: (ParsedHeaderBlock) -> T) -> T? {
        if case .parsed(let shared) = storage { return body(shared.block) }
        return nil
    }

    /// The fields as an array the caller owns, leaving the storage empty so appending does not
    /// copy it (the array is uniquely referenced once `storage` lets go of it).
    private mutating func takeFields() -> [Field] {
        switch storage {
        case .fields(let fields):
            storage = .fields([])
            return fields
        case .parsed(let shared):
            return shared.block.materialized()
        }
    }
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
