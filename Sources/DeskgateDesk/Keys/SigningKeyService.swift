import DeskgateCrypto
public import DeskgateStore
import Foundation

/// The deployment's token-signing key: a private PEM in the keys directory (0600, never
/// committed) whose public JWK is published in the database, where resource servers read it.
public struct SigningKeyService: Sendable {
    public static let activeKeyFile = "es256.key.pem"

    let database: Database
    let directory: String

    public init(database: Database, directory: String) {
        self.database = database
        self.directory = directory
    }

    public enum Outcome: Sendable, Equatable {
        case created(keyID: String)
        case existing(keyID: String)
    }

    public var keyPath: String { directory + "/" + Self.activeKeyFile }

    /// Creates the key if the directory has none, and publishes its public half if the database lacks it.
    /// Idempotent: `deskgate init` and `up` call it every time.
    @discardableResult
    public func ensureKey() throws -> Outcome {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let outcome: Outcome
        let key: DeskgateCrypto.SigningKey
        if FileManager.default.fileExists(atPath: keyPath) {
            key = try DeskgateCrypto.SigningKey.load(fromFile: keyPath)
            outcome = .existing(keyID: key.keyID)
        } else {
            key = try DeskgateCrypto.SigningKey.generate()
            try key.writePrivateKey(toFile: keyPath)
            outcome = .created(keyID: key.keyID)
        }
        let publicKey = key.publicKey
        try database.write { tx in
            let store = SigningKeyStore()
            if try store.byKid(publicKey.keyID, on: tx.connection) == nil {
                _ = try store.publish(kid: publicKey.keyID, alg: "ES256", publicJWKJSON: publicKey.jwkJSON, in: tx)
            }
        }
        return outcome
    }

    /// Keys the database publishes for verification (active and retiring).
    public func publishedKeys() throws -> [DeskgateStore.SigningKey] {
        try database.withReader { try SigningKeyStore().verificationKeys(on: $0) }
    }
}
