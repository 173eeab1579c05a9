import COpenSSL

/// ES256 signatures: JWS carries raw r‖s (RFC 7518 §3.4), OpenSSL speaks DER.
enum ECDSASignature {
    static let rawLength = 64

    static func sign(_ message: [UInt8], with key: EVPKey) -> [UInt8] {
        guard let ctx = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(ctx) }
        var der = [UInt8](repeating: 0, count: 80)
        var derLength = der.count
        let ok = message.withUnsafeBufferPointer { m in
            EVP_DigestSignInit(ctx, nil, OpenSSL.sha256, nil, key.pointer) == 1
                && EVP_DigestSign(ctx, &der, &derLength, m.baseAddress, m.count) == 1
        }
        guard ok, let raw = rawFromDER(Array(der.prefix(derLength))) else {
            OpenSSL.clearErrors()
            // Signing with a key we hold only fails on allocation failure.
            fatalError("ES256 signing failed")
        }
        return raw
    }

    static func verify(_ raw: [UInt8], message: [UInt8], with key: EVPKey) -> Bool {
        guard raw.count == rawLength, let der = derFromRaw(raw), let ctx = EVP_MD_CTX_new() else {
            OpenSSL.clearErrors()
            return false
        }
        defer { EVP_MD_CTX_free(ctx) }
        let ok = message.withUnsafeBufferPointer { m in
            EVP_DigestVerifyInit(ctx, nil, OpenSSL.sha256, nil, key.pointer) == 1
                && EVP_DigestVerify(ctx, der, der.count, m.baseAddress, m.count) == 1
        }
        if !ok { OpenSSL.clearErrors() }
        return ok
    }

    private static func rawFromDER(_ der: [UInt8]) -> [UInt8]? {
        der.withUnsafeBufferPointer { buf -> [UInt8]? in
            var cursor = buf.baseAddress
            guard let sig = d2i_ECDSA_SIG(nil, &cursor, buf.count) else { return nil }
            defer { ECDSA_SIG_free(sig) }
            var r: OpaquePointer?, s: OpaquePointer?
            ECDSA_SIG_get0(sig, &r, &s)
            var out = [UInt8](repeating: 0, count: rawLength)
            // Fixed-width: r or s is shorter than 32 bytes in about 1 signature in 128.
            let ok = out.withUnsafeMutableBufferPointer { o in
                BN_bn2binpad(r, o.baseAddress, 32) == 32 && BN_bn2binpad(s, o.baseAddress! + 32, 32) == 32
            }
            return ok ? out : nil
        }
    }

    private static func derFromRaw(_ raw: [UInt8]) -> [UInt8]? {
        guard let sig = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(sig) }
        let (r, s) = raw.withUnsafeBufferPointer { b in
            (BN_bin2bn(b.baseAddress, 32, nil), BN_bin2bn(b.baseAddress! + 32, 32, nil))
        }
        guard let r, let s, ECDSA_SIG_set0(sig, r, s) == 1 else {
            // set0 takes ownership only on success.
            BN_free(r)
            BN_free(s)
            return nil
        }
        let length = i2d_ECDSA_SIG(sig, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { b -> Int32 in
            var cursor = b.baseAddress
            return i2d_ECDSA_SIG(sig, &cursor)
        }
        return written == length ? der : nil
    }
}
