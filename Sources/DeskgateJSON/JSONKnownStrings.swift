/// Strings a caller expects in most of its documents (a protocol's keys and fixed values),
/// handed out as shared `String`s instead of being decoded, validated and (past 15 bytes)
/// allocated again for every document: ~190 instructions a string, and a JSON-RPC request
/// has a few dozen (callgrind).
///
/// Only a shortcut: a document parses to an equal value with or without a table, and the
/// table changes nothing about what is accepted or rejected (ParserKnownStringsTests parses
/// a corpus both ways). Strings with escapes take the ordinary path.
///
/// A class over raw buffers, immutable once built: a lookup runs for every string of every
/// request, and a struct of arrays cost a retain and a release per array per lookup.
public final class JSONKnownStrings: @unchecked Sendable {
    /// All the strings' bytes back to back, shortest first.
    private let bytes: UnsafeMutablePointer<UInt8>
    private let offsets: UnsafeMutablePointer<Int>
    /// `firstOfLength[n] ..< firstOfLength[n + 1]` are the strings of `n` bytes, for n < lengthBound.
    private let firstOfLength: UnsafeMutablePointer<Int>
    private let lengthBound: Int
    private let strings: [String]

    public init(_ known: [String]) {
        var unique: [String] = []
        for text in known where !text.isEmpty && !unique.contains(text) { unique.append(text) }
        unique.sort { $0.utf8.count < $1.utf8.count }
        lengthBound = (unique.last?.utf8.count ?? 0) + 1
        let total = unique.reduce(0) { $0 + $1.utf8.count }
        bytes = .allocate(capacity: max(total, 1))
        offsets = .allocate(capacity: max(unique.count, 1))
        firstOfLength = .allocate(capacity: lengthBound + 1)
        var offset = 0
        for (position, text) in unique.enumerated() {
            offsets[position] = offset
            for byte in text.utf8 {
                bytes[offset] = byte
                offset += 1
            }
        }
        var position = 0
        for length in 0...lengthBound {
            while position < unique.count && unique[position].utf8.count < length { position += 1 }
            firstOfLength[length] = position
        }
        strings = unique
    }

    deinit {
        bytes.deallocate()
        offsets.deallocate()
        firstOfLength.deallocate()
    }

    /// The known string with exactly these bytes, if any.
    func match(_ start: UnsafePointer<UInt8>, count: Int) -> String? {
        guard count < lengthBound else { return nil }
        var candidate = firstOfLength[count]
        let end = firstOfLength[count + 1]
        while candidate < end {
            if Self.equal(bytes + offsets[candidate], start, count) { return strings[candidate] }
            candidate += 1
        }
        return nil
    }

    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        while i + 8 <= count {
            if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }
}
