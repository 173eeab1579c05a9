/// Opaque bearer secrets (personal access tokens, refresh tokens).
///
/// Shape: `prefix + secret + checksum`, where `secret` is 24 random bytes as 33 base62
/// characters (192 bits) and `checksum` is 6 base62 characters derived from SHA-256 of the
/// secret. The checksum is not a security control: it lets secret scanners and the server
/// reject mistyped or truncated tokens offline, before any database lookup.
public enum OpaqueToken {
    public static let randomByteCount = 24
    public static let secretLength = Base62.width(forByteCount: randomByteCount)
    public static let checksumLength = 6

    public static func generate(prefix: String) -> String {
        let secret = Base62.encode(SecureRandom.bytes(randomByteCount), width: secretLength)
        return prefix + secret + checksum(of: Array(secret.utf8))
    }

    /// True when `token` has this prefix, the exact length, only base62 characters
    /// after the prefix and a checksum that matches its secret part.
    public static func hasValidChecksum(_ token: String, prefix: String) -> Bool {
        guard token.hasPrefix(prefix) else { return false }
        let body = Array(token.utf8.dropFirst(prefix.utf8.count))
        guard body.count == secretLength + checksumLength, body.allSatisfy(Base62.isDigit) else {
            return false
        }
        let expected = Array(checksum(of: Array(body.prefix(secretLength))).utf8)
        return ConstantTime.equals(expected, Array(body.suffix(checksumLength)))
    }

    /// What the database stores and looks tokens up by: lowercase hex SHA-256 of the
    /// whole token. A fast hash suffices because the secret has ≥160 bits of entropy.
    public static func storageHash(_ token: String) -> String {
        Hex.encode(SHA256.hash(token))
    }

    static func checksum(of secret: [UInt8]) -> String {
        let digest = SHA256.hash(secret)
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        // 62^6 ≈ 2^35.7 values; the slight modulo bias is irrelevant for typo detection.
        return Base62.encode(value % 56_800_235_584, width: checksumLength)
    }
}
