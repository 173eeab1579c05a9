/// Proof Key for Code Exchange (RFC 7636), S256 only: OAuth 2.1 forbids `plain`.
public enum PKCE {
    /// A fresh 43-character verifier (32 random bytes).
    public static func generateVerifier() -> String {
        SecureRandom.base64URL(byteCount: 32)
    }

    /// RFC 7636 §4.1: 43–128 characters from `[A-Za-z0-9-._~]`.
    public static func isValidVerifier(_ verifier: String) -> Bool {
        let bytes = Array(verifier.utf8)
        guard (43...128).contains(bytes.count) else { return false }
        return bytes.allSatisfy { c in
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                true
            default:
                false
            }
        }
    }

    /// `BASE64URL(SHA256(ASCII(verifier)))`.
    public static func challengeS256(for verifier: String) -> String {
        Base64URL.encode(SHA256.hash(verifier))
    }

    /// True when `verifier` is well formed and hashes to `challenge`.
    public static func verifyS256(verifier: String, challenge: String) -> Bool {
        guard isValidVerifier(verifier) else { return false }
        return ConstantTime.equals(challengeS256(for: verifier), challenge)
    }
}
