#if canImport(Glibc)
import Glibc
#endif

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
        case parsed(ParsedHeaderBlock)
    }

    private var storage: Storage

    public init(_ fields: [Field] = []) { storage = .fields(fields) }

    init(parsed block: ParsedHeaderBlock) { storage = .parsed(block) }

    /// Every field as strings, in order.
    public var fields: [Field] {
        switch storage {
        case .fields(let fields): return fields
        case .parsed(let block): return block.materialized()
        }
    }

    public var count: Int {
        switch storage {
        case .fields(let fields): return fields.count
        case .parsed(let block): return block.spans.count
        }
    }

    /// The first value of `name` (case-insensitive).
    public subscript(name: String) -> String? {
        switch storage {
        case .fields(let fields):
            for field in fields where field.name.equalsIgnoringASCIICase(name) { return field.value }
            return nil
        case .parsed(let block):
            return block.firstValue(name)
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
        case .parsed(let block):
            guard let i = block.firstIndex(name) else { return false }
            return block.value(i, equals: expected)
        }
    }

    public func contains(_ name: String) -> Bool {
        switch storage {
        case .fields: return self[name] != nil
        case .parsed(let block): return block.firstIndex(name) != nil
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
        if case .parsed(let block) = storage { return body(block) }
        return nil
    }

    /// The fields as an array the caller owns, leaving the storage empty so appending does not
    /// copy it (the array is uniquely referenced once `storage` lets go of it).
    private mutating func takeFields() -> [Field] {
        switch storage {
        case .fields(let fields):
            storage = .fields([])
            return fields
        case .parsed(let block):
            return block.materialized()
        }
    }
}

/// The header section of one parsed request: its bytes (names lowercased in place) and where
/// each field's name and value lie in them. Immutable once built.
final class ParsedHeaderBlock: Sendable {
    struct Span: Sendable {
        let nameStart: Int32
        let nameLength: Int32
        let valueStart: Int32
        let valueLength: Int32
    }

    let bytes: [UInt8]
    let spans: [Span]

    init(bytes: [UInt8], spans: [Span]) {
        self.bytes = bytes
        self.spans = spans
    }

    func name(_ i: Int) -> String {
        let span = spans[i]
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(span.nameStart)..<Int(span.nameStart + span.nameLength)]),
                   as: UTF8.self)
        }
    }

    func value(_ i: Int) -> String {
        let span = spans[i]
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(span.valueStart)..<Int(span.valueStart + span.valueLength)]),
                   as: UTF8.self)
        }
    }

    /// A block holding `fields` (names lowercased), for code that reads blocks only.
    convenience init(fields: [HTTPHeaders.Field]) {
        var bytes: [UInt8] = []
        var spans: [Span] = []
        for field in fields {
            let nameStart = bytes.count
            bytes += field.name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            let valueStart = bytes.count
            bytes += field.value.utf8
            spans.append(Span(nameStart: Int32(nameStart), nameLength: Int32(valueStart - nameStart),
                              valueStart: Int32(valueStart), valueLength: Int32(bytes.count - valueStart)))
        }
        self.init(bytes: bytes, spans: spans)
    }

    func value(_ i: Int, equals expected: String) -> Bool {
        let span = spans[i]
        var expected = expected
        return expected.withUTF8 { wanted in
            guard wanted.count == Int(span.valueLength) else { return false }
            if wanted.isEmpty { return true }
            return bytes.withUnsafeBufferPointer {
                memcmp($0.baseAddress! + Int(span.valueStart), wanted.baseAddress!, wanted.count) == 0
            }
        }
    }

    func materialized() -> [HTTPHeaders.Field] {
        var fields: [HTTPHeaders.Field] = []
        fields.reserveCapacity(spans.count)
        for i in spans.indices { fields.append((name(i), value(i))) }
        return fields
    }

    /// The index of the first field called `name` (any case: stored names are lowercase).
    func firstIndex(_ name: String) -> Int? {
        var name = name
        return name.withUTF8 { wanted -> Int? in
            bytes.withUnsafeBufferPointer { raw -> Int? in
                for (i, span) in spans.enumerated() where Int(span.nameLength) == wanted.count {
                    if Self.equalsLowercased(raw, from: Int(span.nameStart), wanted) { return i }
                }
                return nil
            }
        }
    }

    func firstValue(_ name: String) -> String? { firstIndex(name).map(value) }

    /// Whether `raw[from...]` (lowercase) equals `wanted` with its ASCII letters folded.
    private static func equalsLowercased(_ raw: UnsafeBufferPointer<UInt8>, from start: Int,
                                         _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        if memcmp(raw.baseAddress! + start, wanted.baseAddress!, wanted.count) == 0 { return true }
        for k in 0..<wanted.count {
            let b = wanted[k]
            if raw[start + k] != (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) { return false }
        }
        return true
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
