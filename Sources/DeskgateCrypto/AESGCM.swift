import COpenSSL

/// AES-256-GCM (NIST SP 800-38D) computed by OpenSSL: a 256-bit key, a random 96-bit nonce per
/// message, a 128-bit tag. Sealed form: `nonce ‖ ciphertext ‖ tag`.
public enum AESGCM {
    public static let keyLength = 32
    static let nonceLength = 12
    static let tagLength = 16

    /// Encrypts and authenticates `plaintext` under `key` (32 bytes).
    public static func seal(_ plaintext: [UInt8], key: [UInt8]) -> [UInt8] {
        precondition(key.count == keyLength, "AES-256-GCM needs a 32-byte key")
        let nonce = SecureRandom.bytes(nonceLength)
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        var tag = [UInt8](repeating: 0, count: tagLength)
        guard let context = EVP_CIPHER_CTX_new() else { fatalError("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(context) }
        var written: Int32 = 0, total = 0
        let ok = key.withUnsafeBufferPointer { k in
            nonce.withUnsafeBufferPointer { n in
                EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, k.baseAddress, n.baseAddress) == 1
            }
        } && plaintext.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                // A zero-length message still needs the update call to be skipped, not given nil.
                plaintext.isEmpty || EVP_EncryptUpdate(context, o.baseAddress, &written, p.baseAddress, Int32(p.count)) == 1
            }
        }
        total = Int(written)
        written = 0
        let finished = ok && out.withUnsafeMutableBufferPointer { o in
            EVP_EncryptFinal_ex(context, o.baseAddress! + total, &written) == 1
        } && tag.withUnsafeMutableBufferPointer { t in
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), t.baseAddress) == 1
        }
        guard finished else {
            OpenSSL.clearErrors()
            fatalError("AES-256-GCM encryption failed")
        }
        total += Int(written)
        return nonce + out[..<total] + tag
    }

    /// The plaintext, or nil when `sealed` was not made by `seal` under `key` (or was altered).
    public static func open(_ sealed: [UInt8], key: [UInt8]) -> [UInt8]? {
        guard key.count == keyLength, sealed.count >= nonceLength + tagLength else { return nil }
        let nonce = Array(sealed[..<nonceLength])
        let ciphertext = Array(sealed[nonceLength..<(sealed.count - tagLength)])
        var tag = Array(sealed[(sealed.count - tagLength)...])
        var out = [UInt8](repeating: 0, count: ciphertext.count + 16)
        guard let context = EVP_CIPHER_CTX_new() else { fatalError("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(context) }
        var written: Int32 = 0
        let ok = key.withUnsafeBufferPointer { k in
            nonce.withUnsafeBufferPointer { n in
                EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, k.baseAddress, n.baseAddress) == 1
            }
        } && ciphertext.withUnsafeBufferPointer { c in
            out.withUnsafeMutableBufferPointer { o in
                ciphertext.isEmpty || EVP_DecryptUpdate(context, o.baseAddress, &written, c.baseAddress, Int32(c.count)) == 1
            }
        } && tag.withUnsafeMutableBufferPointer { t in
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), t.baseAddress) == 1
        }
        let total = Int(written)
        written = 0
        // Final checks the tag: a failure here is a forged or damaged message, not an error.
        guard ok, out.withUnsafeMutableBufferPointer({ o in
            EVP_DecryptFinal_ex(context, o.baseAddress! + total, &written) == 1
        }) else {
            OpenSSL.clearErrors()
            return nil
        }
        return Array(out[..<(total + Int(written))])
    }
}
