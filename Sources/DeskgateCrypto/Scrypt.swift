import COpenSSL

/// Raw scrypt (RFC 7914) through OpenSSL's EVP_PBE_scrypt.
enum Scrypt {
    /// Bytes scrypt allocates for these parameters (V is 128·r·N, B is 128·r·p, plus
    /// scratch), with 1 MiB of headroom. OpenSSL's default cap (32 MiB) is below what
    /// N=2^15, r=8 needs, so the limit is always passed explicitly.
    static func memoryLimit(N: UInt64, r: UInt64, p: UInt64) -> UInt64 {
        128 * r * (N + p + 2) + 1 << 20
    }

    /// Derives `length` bytes; nil when OpenSSL rejects the parameters (N not a power
    /// of two, memory over the limit) or fails to allocate.
    static func derive(password: [UInt8], salt: [UInt8], N: UInt64, r: UInt64, p: UInt64,
                       length: Int) -> [UInt8]? {
        guard length > 0 else { return nil }
        var out = [UInt8](repeating: 0, count: length)
        // A zero-length password or salt must still be passed as valid pointers.
        let pass = password.isEmpty ? [0] : password
        let saltBytes = salt.isEmpty ? [0] : salt
        let ok = pass.withUnsafeBufferPointer { pw in
            saltBytes.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    pw.withMemoryRebound(to: CChar.self) { pwc in
                        EVP_PBE_scrypt(pwc.baseAddress, password.count, s.baseAddress, salt.count,
                                       N, r, p, memoryLimit(N: N, r: r, p: p), o.baseAddress, length)
                    }
                }
            }
        }
        guard ok == 1 else {
            OpenSSL.clearErrors()
            return nil
        }
        return out
    }
}

/// Raw scrypt, reachable from tests for the RFC 7914 vectors.
func scrypt(password: [UInt8], salt: [UInt8], N: UInt64, r: UInt64, p: UInt64, length: Int) -> [UInt8]? {
    Scrypt.derive(password: password, salt: salt, N: N, r: r, p: p, length: length)
}
