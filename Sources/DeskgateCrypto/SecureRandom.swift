import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG.
public enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// Traps if the DRBG fails: continuing without randomness would mint guessable
    /// secrets, which is worse than stopping the process.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "negative byte count")
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBytes { buf in
            RAND_bytes(buf.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(count))
        }
        guard ok == 1 else {
            OpenSSL.clearErrors()
            fatalError("RAND_bytes failed: no secure randomness available")
        }
        return out
    }

    /// Random bytes rendered as unpadded base64url (for state, nonces, codes, ids).
    public static func base64URL(byteCount: Int) -> String {
        Base64URL.encode(bytes(byteCount))
    }
}
