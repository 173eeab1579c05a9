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

/// Where one field's name and value lie in a `ParsedHeaderBlock`'s bytes.
struct HeaderFieldSpan: Sendable {
    let nameStart: Int32
    let nameLength: Int32
    let valueStart: Int32
    let valueLength: Int32
}

/// How many spans and bytes a `ParsedHeaderBlock` holds.
struct HeaderBlockCounts: Sendable {
    let spanCount: Int
    let byteCount: Int
}

/// The header section of one parsed request: its bytes (names lowercased in place) and where
/// each field's name and value lie in them. Immutable once built.
///
/// One allocation: the spans and then the bytes live in the tail of the object itself. A class
/// holding a span array and a byte array made three per request (~0.7k instructions with
/// their releases, callgrind), which a tiny GET paid for before it saved anything.
final class ParsedHeaderBlock: ManagedBuffer<HeaderBlockCounts, HeaderFieldSpan> {
    typealias Span = HeaderFieldSpan

    /// A block of `spanCount` spans (to be set by the builder with `setSpan`) and a copy of `section`.
    static func make(spanCount: Int, section: UnsafeBufferPointer<UInt8>) -> ParsedHeaderBlock {
        let stride = MemoryLayout<Span>.stride
        let tail = spanCount + (section.count + stride - 1) / stride
        let buffer = create(minimumCapacity: max(tail, 1)) { _ in
            HeaderBlockCounts(spanCount: spanCount, byteCount: section.count)
        }
        let block = unsafeDowncast(buffer, to: ParsedHeaderBlock.self)
        block.withUnsafeMutablePointerToElements { spans in
            let bytes = UnsafeMutableRawPointer(spans + spanCount).bindMemory(to: UInt8.self, capacity: section.count)
            if let source = section.baseAddress, section.count > 0 { bytes.initialize(from: source, count: section.count) }
        }
        return block
    }

    /// A block holding `fields` (names lowercased), for code that reads blocks only.
    static func make(fields: [HTTPHeaders.Field]) -> ParsedHeaderBlock {
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
        let block = bytes.withUnsafeBufferPointer { make(spanCount: spans.count, section: $0) }
        for (i, span) in spans.enumerated() { block.setSpan(i, span) }
        return block
    }

    var spanCount: Int { header.spanCount }

    func span(_ i: Int) -> Span {
        precondition(i >= 0 && i < header.spanCount, "header field index out of range")
        return withUnsafeMutablePointerToElements { $0[i] }
    }

    /// For the builder only, before the block is handed out.
    func setSpan(_ i: Int, _ span: Span) {
        precondition(i >= 0 && i < header.spanCount, "header field index out of range")
        withUnsafeMutablePointerToElements { $0[i] = span }
    }

    /// The section's bytes; mutable for the builder's lowercasing, before the block is handed out.
    func withMutableBytes<T>(_ body: (UnsafeMutableBufferPointer<UInt8>) -> T) -> T {
        let counts = header
        return withUnsafeMutablePointerToElements { spans in
            let bytes = UnsafeMutableRawPointer(spans + counts.spanCount).assumingMemoryBound(to: UInt8.self)
            return body(UnsafeMutableBufferPointer(start: bytes, count: counts.byteCount))
        }
    }

    func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        withMutableBytes { body(UnsafeBufferPointer($0)) }
    }

    func name(_ i: Int) -> String {
        let span = span(i)
        return withBytes {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(span.nameStart)..<Int(span.nameStart + span.nameLength)]),
                   as: UTF8.self)
        }
    }

    /// Whether field `i` is called `lowercase`, a lowercase literal (stored names are lowercase).
    func name(_ i: Int, is lowercase: StaticString) -> Bool {
        let span = span(i)
        guard Int(span.nameLength) == lowercase.utf8CodeUnitCount else { return false }
        return withBytes { bytes in
            lowercase.withUTF8Buffer { memcmp(bytes.baseAddress! + Int(span.nameStart), $0.baseAddress!, $0.count) == 0 }
        }
    }

    func value(_ i: Int) -> String {
        let span = span(i)
        return withBytes {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(span.valueStart)..<Int(span.valueStart + span.valueLength)]),
                   as: UTF8.self)
        }
    }

    func withValueBytes<T>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let span = span(i)
        return withBytes { body(UnsafeBufferPointer(rebasing: $0[Int(span.valueStart)..<Int(span.valueStart + span.valueLength)])) }
    }

    func value(_ i: Int, equals expected: String) -> Bool {
        let span = span(i)
        var expected = expected
        return expected.withUTF8 { wanted in
            guard wanted.count == Int(span.valueLength) else { return false }
            if wanted.isEmpty { return true }
            return withBytes {
                memcmp($0.baseAddress! + Int(span.valueStart), wanted.baseAddress!, wanted.count) == 0
            }
        }
    }

    func materialized() -> [HTTPHeaders.Field] {
        var fields: [HTTPHeaders.Field] = []
        fields.reserveCapacity(spanCount)
        for i in 0..<spanCount { fields.append((name(i), value(i))) }
        return fields
    }

    /// The index of the first field called `name` (any case: stored names are lowercase).
    func firstIndex(_ name: String) -> Int? {
        var name = name
        let count = spanCount
        return name.withUTF8 { wanted -> Int? in
            withUnsafeMutablePointerToElements { spans -> Int? in
                let raw = UnsafeBufferPointer(start: UnsafeRawPointer(spans + count).assumingMemoryBound(to: UInt8.self),
                                              count: header.byteCount)
                for i in 0..<count where Int(spans[i].nameLength) == wanted.count {
                    if Self.equalsLowercased(raw, from: Int(spans[i].nameStart), wanted) { return i }
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
