/// A private ES256 (P-256) key that signs access tokens.
///
/// `@unchecked Sendable`: the EVP_PKEY inside is safe for concurrent signing once built,
/// and nothing here mutates after init.
public final class SigningKey: @unchecked Sendable {
    public let algorithm: JWSAlgorithm = .es256
    public let publicKey: VerificationKey
    let key: EVPKey

    /// The `kid` placed in headers: the public key's RFC 7638 thumbprint.
    public var keyID: String { publicKey.keyID }

    private init(key: EVPKey) throws(KeyError) {
        guard key.isP256 else { throw .unsupportedKeyType }
        let (x, y) = try key.p256Coordinates()
        self.key = key
        self.publicKey = try VerificationKey(x: x, y: y, keyID: nil)
    }

    public static func generate() throws(KeyError) -> SigningKey {
        try SigningKey(key: EVPKey.generateP256())
    }

    /// Reads an unencrypted PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`) PEM.
    public convenience init(pem: String) throws(KeyError) {
        try self.init(key: EVPKey.fromPEM(pem, kind: .privateKey))
    }

    /// Unencrypted PKCS#8 PEM. Secret material: never log it.
    public func pemPrivateKey() -> String {
        key.pem(.privateKey)
    }

    /// Stores the PEM in a new file with mode 0600 (whatever the umask). Without
    /// `overwrite` an existing file is never replaced, so a second `init` cannot
    /// destroy the key that signed live tokens.
    public func writePrivateKey(toFile path: String, overwrite: Bool = false) throws(KeyError) {
        try KeyFile.write(pemPrivateKey(), to: path, overwrite: overwrite)
    }

    /// Loads a key written by `writePrivateKey(toFile:)`. By default a file that group or
    /// others may access is refused, as ssh does for identity files.
    public static func load(fromFile path: String, requirePrivateMode: Bool = true) throws(KeyError) -> SigningKey {
        try SigningKey(pem: KeyFile.read(path, requirePrivateMode: requirePrivateMode))
    }
}
