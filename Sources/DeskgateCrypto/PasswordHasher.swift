/// Password hashing with scrypt (RFC 7914) and a self-describing storage string.
///
/// Hashing costs about 100 ms of CPU at the default cost: call it from a worker pool,
/// never from an event-loop thread.
public struct PasswordHasher: Sendable, Equatable {
    public static let saltLength = 16
    public static let hashLength = 32

    public let logN: Int
    public let r: Int
    public let p: Int

    /// Default cost N=2^15, r=8, p=1 (about 32 MiB, 100 ms).
    public init(logN: Int = 15, r: Int = 8, p: Int = 1) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` with a fresh 16-byte salt.
    public func hash(_ password: String) throws(PasswordHashError) -> String {
        guard EncodedPasswordHash.parametersAreAcceptable(logN: logN, r: r, p: p) else {
            throw .invalidParameters
        }
        let salt = SecureRandom.bytes(Self.saltLength)
        guard let derived = Scrypt.derive(password: Array(password.utf8), salt: salt,
                                          N: UInt64(1) << UInt64(logN), r: UInt64(r), p: UInt64(p),
                                          length: Self.hashLength)
        else { throw .derivationFailed }
        return EncodedPasswordHash(logN: logN, r: r, p: p, salt: salt, hash: derived).encoded
    }

    /// Checks `password` with the parameters stored in `encoded` (not this hasher's),
    /// so hashes made at an older cost keep verifying. Malformed or out-of-bounds
    /// strings verify as false.
    public func verify(_ password: String, against encoded: String) -> Bool {
        guard let stored = EncodedPasswordHash(encoded),
              let derived = Scrypt.derive(password: Array(password.utf8), salt: stored.salt,
                                          N: stored.n, r: UInt64(stored.r), p: UInt64(stored.p),
                                          length: stored.hash.count)
        else { return false }
        return ConstantTime.equals(derived, stored.hash)
    }

    /// True when `encoded` was not made with this hasher's exact cost and sizes (or is
    /// unreadable): rehash after the next successful login.
    public func needsRehash(_ encoded: String) -> Bool {
        guard let stored = EncodedPasswordHash(encoded) else { return true }
        return stored.logN != logN || stored.r != r || stored.p != p
            || stored.salt.count != Self.saltLength || stored.hash.count != Self.hashLength
    }
}
