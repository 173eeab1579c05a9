import COpenSSL

/// SHA-256 (FIPS 180-4) computed by OpenSSL.
public enum SHA256 {
    public static let digestLength = 32

    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ digest(UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { digest($0) }
    }

    public static func hash(_ string: String) -> [UInt8] {
        hash(Array(string.utf8))
    }

    private static func digest(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        // EVP_Digest wants a non-null pointer even for empty input.
        let ok = withUnsafeBytes(of: UInt8(0)) { empty in
            out.withUnsafeMutableBufferPointer { o in
                EVP_Digest(data.baseAddress ?? empty.baseAddress!, data.count,
                           o.baseAddress, &length, OpenSSL.sha256, nil)
            }
        }
        guard ok == 1, length == UInt32(digestLength) else {
            OpenSSL.clearErrors()
            // Only an allocation failure inside OpenSSL gets here; a wrong digest is never acceptable.
            fatalError("EVP_Digest(SHA256) failed")
        }
        return out
    }
}
