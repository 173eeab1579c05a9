import COpenSSL

/// Owns one EVP_PKEY.
///
/// `@unchecked Sendable`: OpenSSL 3 documents an EVP_PKEY as safe for concurrent
/// read-only use (sign, verify, export) once fully constructed, and this wrapper never
/// mutates it after init.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// A fresh P-256 key pair.
    static func generateP256() throws(KeyError) -> EVPKey {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            OpenSSL.clearErrors()
            throw .generationFailed
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1,
              EVP_PKEY_CTX_set_group_name(ctx, "P-256") == 1,
              EVP_PKEY_generate(ctx, &pkey) == 1,
              let pkey
        else {
            OpenSSL.clearErrors()
            throw .generationFailed
        }
        return EVPKey(taking: pkey)
    }

    /// A public-only P-256 key from its affine coordinates. OpenSSL decodes the point
    /// with an on-curve check, so invalid-curve points are refused here.
    static func p256PublicKey(x: [UInt8], y: [UInt8]) throws(KeyError) -> EVPKey {
        guard x.count == 32, y.count == 32 else { throw .invalidJWK }
        let point = [0x04] + x + y
        guard let bld = OSSL_PARAM_BLD_new() else { throw .invalidPublicKey }
        defer { OSSL_PARAM_BLD_free(bld) }
        // The builder keeps the pointers it is given until to_param copies them: names are
        // immortal StaticStrings and to_param runs while the point buffer is pinned.
        let groupKey: StaticString = "group", group: StaticString = "prime256v1", pubKey: StaticString = "pub"
        let params = point.withUnsafeBytes { pt -> UnsafeMutablePointer<OSSL_PARAM>? in
            guard OSSL_PARAM_BLD_push_utf8_string(bld, cString(groupKey), cString(group), group.utf8CodeUnitCount) == 1,
                  OSSL_PARAM_BLD_push_octet_string(bld, cString(pubKey), pt.baseAddress, pt.count) == 1
            else { return nil }
            return OSSL_PARAM_BLD_to_param(bld)
        }
        guard let params else {
            OpenSSL.clearErrors()
            throw .invalidPublicKey
        }
        defer { OSSL_PARAM_free(params) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            OpenSSL.clearErrors()
            throw .invalidPublicKey
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_fromdata_init(ctx) == 1,
              EVP_PKEY_fromdata(ctx, &pkey, shim_EVP_PKEY_PUBLIC_KEY, params) == 1,
              let pkey
        else {
            OpenSSL.clearErrors()
            throw .invalidPublicKey
        }
        return EVPKey(taking: pkey)
    }

    /// True for an EC key on P-256 (OpenSSL names the group prime256v1).
    var isP256: Bool {
        guard EVP_PKEY_is_a(pointer, "EC") == 1 else { return false }
        var name = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_utf8_string_param(pointer, OSSL_PKEY_PARAM_GROUP_NAME, &name, name.count, &length) == 1 else {
            OpenSSL.clearErrors()
            return false
        }
        let bytes = name.prefix(length).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self) == "prime256v1"
    }

    /// The public point's affine coordinates, each left-padded to 32 bytes (BN_bn2bin
    /// would drop leading zero bytes for about 1 key in 128).
    func p256Coordinates() throws(KeyError) -> (x: [UInt8], y: [UInt8]) {
        guard let x = coordinate(OSSL_PKEY_PARAM_EC_PUB_X), let y = coordinate(OSSL_PKEY_PARAM_EC_PUB_Y) else {
            OpenSSL.clearErrors()
            throw .unsupportedKeyType
        }
        return (x, y)
    }

    private func coordinate(_ name: String) -> [UInt8]? {
        var bn: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pointer, name, &bn) == 1, let bn else { return nil }
        defer { BN_free(bn) }
        var out = [UInt8](repeating: 0, count: 32)
        guard BN_bn2binpad(bn, &out, 32) == 32 else { return nil }
        return out
    }

    // MARK: PEM

    enum PEMKind {
        case privateKey
        case publicKey
    }

    static func fromPEM(_ pem: String, kind: PEMKind) throws(KeyError) -> EVPKey {
        let bytes = Array(pem.utf8)
        guard !bytes.isEmpty, bytes.count < 1 << 20 else { throw .invalidPEM }
        let pkey = bytes.withUnsafeBytes { buf -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) else { return nil }
            defer { BIO_free(bio) }
            switch kind {
            case .privateKey:
                // A non-null passphrase with no callback: an encrypted PEM fails to decrypt
                // instead of OpenSSL prompting on the server's terminal.
                let empty: StaticString = ""
                return PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: empty.utf8Start))
            case .publicKey:
                return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
            }
        }
        guard let pkey else {
            OpenSSL.clearErrors()
            throw .invalidPEM
        }
        return EVPKey(taking: pkey)
    }

    func pem(_ kind: PEMKind) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { fatalError("BIO_new failed") }
        defer { BIO_free(bio) }
        let ok = switch kind {
        case .privateKey: PEM_write_bio_PrivateKey(bio, pointer, nil, nil, 0, nil, nil)
        case .publicKey: PEM_write_bio_PUBKEY(bio, pointer)
        }
        var data: UnsafeMutablePointer<CChar>?
        let length = shim_BIO_get_mem_data(bio, &data)
        guard ok == 1, let data, length > 0 else {
            OpenSSL.clearErrors()
            // Serialising a key we built ourselves only fails on allocation failure.
            fatalError("PEM serialisation failed")
        }
        return UnsafeRawBufferPointer(start: data, count: length).withMemoryRebound(to: UInt8.self) {
            String(decoding: $0, as: UTF8.self)
        }
    }
}

/// A C string view of an immortal, NUL-terminated StaticString.
func cString(_ s: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
}
