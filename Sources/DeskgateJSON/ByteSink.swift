/// Where `JSONOutput` writes: a `[UInt8]` (JSONWriter, whose buffer is public) or a `ByteSink`.
protocol JSONByteOutput {
    mutating func append(_ byte: UInt8)
    mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: JSONByteOutput where Element == UInt8 {
    @inline(__always)
    mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(contentsOf: bytes)
    }
}

/// A growable raw buffer for one `JSONValue.encode(into:)` call. Writes are plain stores after
/// a capacity check; `[UInt8].append(contentsOf:)` costs a uniqueness check and ~110
/// instructions per call (callgrind), which dominated encoding replies made of short strings.
/// Not a class, to avoid an allocation for the box: whoever creates one must call `release()`.
struct ByteSink: JSONByteOutput {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    func release() {
        base.deallocate()
    }

    var buffer: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base, count: count)
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if capacity - count < bytes.count { grow(to: count + bytes.count) }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    private mutating func grow(to minimum: Int) {
        capacity = Swift.max(capacity * 2, minimum)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        larger.initialize(from: base, count: count)
        base.deallocate()
        base = larger
    }
}
