import DeskgateCrypto

/// The shape of a personal access token and the two derived values the store keeps.
/// Everything here is pure, so the authenticator can reject garbage without a query.
enum PersonalAccessTokenFormat {
    /// Recognisable by people and by secret scanners (GitHub-style `ghp_`).
    static let prefix = "dgpat_"

    /// `dgpat_` + 192 random bits in base62 + a 6-character checksum (see `OpaqueToken`).
    static func generate() -> String {
        OpaqueToken.generate(prefix: prefix)
    }

    /// Right prefix, right length, right alphabet, matching checksum. Mistyped, truncated or
    /// made-up tokens fail here.
    static func isWellFormed(_ token: String) -> Bool {
        OpaqueToken.hasValidChecksum(token, prefix: prefix)
    }

    /// The raw SHA-256 digest the `token_hash` BLOB column holds: `OpaqueToken.storageHash`,
    /// decoded from hex, so there is one definition of "the token's hash".
    static func storageKey(_ token: String) -> [UInt8] {
        // The same bytes as `Hex.decode(OpaqueToken.storageHash(token))`, without the hex round
        // trip, hashed in place (`SHA256.hash(String)` copies the text into an array first).
        var token = token
        return token.withUTF8 { SHA256.hash($0) }
    }

    /// What lists show: the prefix and the last 4 characters, e.g. `dgpat_…9fQa`.
    static func masked(_ token: String) -> String {
        prefix + "…" + String(token.suffix(4))
    }
}
