/// Word-at-a-time byte tests (the classic "has zero byte" bit tricks), so the long runs of
/// plain text that make up most JSON strings are checked 8 bytes per step instead of one.
/// Each test answers exactly whether *any* byte in the word matches; callers that get a yes
/// fall back to a byte loop to find which one.
enum WordScan {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    static func load(_ base: UnsafePointer<UInt8>, _ offset: Int) -> UInt64 {
        UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
    }

    /// Some byte of `word` is below `limit` (valid for limit <= 128).
    @inline(__always)
    static func hasByte(_ word: UInt64, lessThan limit: UInt8) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & highBits != 0
    }

    /// Some byte of `word` equals `byte`.
    @inline(__always)
    static func hasByte(_ word: UInt64, equalTo byte: UInt8) -> Bool {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highBits != 0
    }

    /// Some byte of `word` is >= 0x80 (not ASCII).
    @inline(__always)
    static func hasNonASCII(_ word: UInt64) -> Bool {
        word & highBits != 0
    }
}
