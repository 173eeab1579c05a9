/// Why a password could not be hashed.
public enum PasswordHashError: Error, Equatable, Sendable {
    /// The configured cost is outside the bounds `PasswordHasher` accepts.
    case invalidParameters
    /// OpenSSL's scrypt failed (typically an allocation failure).
    case derivationFailed
}
