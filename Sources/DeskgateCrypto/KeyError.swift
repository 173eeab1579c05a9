/// Why a key could not be generated, parsed, imported, stored or loaded.
public enum KeyError: Error, Equatable, Sendable {
    case generationFailed
    /// Not a readable unencrypted PEM key (encrypted PEMs are refused, never prompted for).
    case invalidPEM
    /// A well-formed key of a kind this target does not sign or verify with.
    case unsupportedKeyType
    /// A JWK that is not valid JSON, lacks a member, or has a malformed coordinate.
    case invalidJWK
    /// The coordinates do not name a point on P-256.
    case invalidPublicKey
    case fileExists(path: String)
    case fileSystem(path: String, errno: Int32)
    /// A private key file readable or writable by group or others.
    case insecureFilePermissions(path: String, mode: UInt32)
}
