#if canImport(Glibc)
import Glibc
#endif

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
        return withBytes(span.nameStart, span.nameLength) { String(decoding: $0, as: UTF8.self) }
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
        withValueBytes(i) { String(decoding: $0, as: UTF8.self) }
    }

    func withValueBytes<T>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let span = span(i)
        return withBytes(span.valueStart, span.valueLength, body)
    }

    func value(_ i: Int, equals expected: String) -> Bool {
        var expected = expected
        return expected.withUTF8 { wanted in
            withValueBytes(i) { value in
                value.count == wanted.count && (wanted.isEmpty || memcmp(value.baseAddress!, wanted.baseAddress!, wanted.count) == 0)
            }
        }
    }

    /// The `length` bytes at `start` of the section.
    private func withBytes<T>(_ start: Int32, _ length: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        withBytes { body(UnsafeBufferPointer(rebasing: $0[Int(start)..<Int(start + length)])) }
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
