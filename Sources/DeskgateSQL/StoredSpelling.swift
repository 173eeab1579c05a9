/// A domain enum that hot reads decode from its stored spelling in place: the column's bytes
/// are compared with each case's raw value, so no `String` is made and the synthesized
/// `init(rawValue:)` (a generic string switch, 200-370 instructions a column; callgrind) does
/// not run. The cases and spellings are the enum's own: `Spellings` is built from `allCases`
/// and `rawValue`, and a spelling it does not know goes the ordinary way (and its error).
public protocol StoredSpelling: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    static var spellings: Spellings<Self> { get }
}

/// Each case's spelling packed into two words (spellings of up to 16 bytes; longer ones are
/// left to `init(rawValue:)`), so a match is two compares.
public struct Spellings<Value: StoredSpelling>: Sendable {
    @usableFromInline
    internal struct Packed: Sendable {
        @usableFromInline let low: UInt64
        @usableFromInline let high: UInt64
        @usableFromInline let count: Int
        @usableFromInline let value: Value

        @usableFromInline
        init(low: UInt64, high: UInt64, count: Int, value: Value) {
            self.low = low
            self.high = high
            self.count = count
            self.value = value
        }
    }

    @usableFromInline
    internal let packed: [Packed]

    public init() {
        var packed: [Packed] = []
        for value in Value.allCases {
            var text = value.rawValue
            text.withUTF8 { bytes in
                guard let words = Self.words(bytes) else { return }
                packed.append(Packed(low: words.low, high: words.high, count: bytes.count, value: value))
            }
        }
        self.packed = packed
    }

    @inlinable
    public func value(_ text: UnsafeBufferPointer<UInt8>) -> Value? {
        guard let words = Self.words(text) else { return nil }
        for entry in packed where entry.count == text.count && entry.low == words.low && entry.high == words.high {
            return entry.value
        }
        return nil
    }

    /// The bytes zero-padded into two words; nil past 16 bytes.
    @inlinable
    internal static func words(_ bytes: UnsafeBufferPointer<UInt8>) -> (low: UInt64, high: UInt64)? {
        guard bytes.count <= 16 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        if let base = bytes.baseAddress, bytes.count > 0 {
            withUnsafeMutableBytes(of: &words) { $0.baseAddress!.copyMemory(from: base, byteCount: bytes.count) }
        }
        return (words.0, words.1)
    }
}
