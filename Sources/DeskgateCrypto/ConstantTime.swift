import COpenSSL

/// Comparison of secrets whose running time does not depend on where they differ.
public enum ConstantTime {
    /// True when both arrays have the same length and content.
    ///
    /// Lengths are not secret here (digests and MACs have fixed sizes), so a length
    /// mismatch returns early; the content comparison itself is CRYPTO_memcmp.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in equals(pa, pb) } }
    }

    /// `equals(_:_:)` over bytes in place (no array copies), under the same length rule.
    public static func equals(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress, a.count > 0 else { return true }
        return CRYPTO_memcmp(pa, pb, a.count) == 0
    }

    /// `equals(_:_:)` over the strings' UTF-8 bytes, read in place.
    public static func equals(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { pa in b.withUTF8 { pb in equals(pa, pb) } }
    }
}
