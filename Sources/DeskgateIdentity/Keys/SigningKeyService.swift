import DeskgateCrypto
public import DeskgateStore
public import DeskgateModel
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

    /// Replaces the signing key: the new public key is published (and the old one set to
    /// retiring, still verifying the tokens it signed) before the new private key replaces
    /// the file, so nothing is ever signed by a key verifiers do not know yet.
    public func rotate() throws -> (previous: String?, current: String) {
        let previous = FileManager.default.fileExists(atPath: keyPath)
            ? try DeskgateCrypto.SigningKey.load(fromFile: keyPath).keyID : nil
        let next = try DeskgateCrypto.SigningKey.generate()
        let publicKey = next.publicKey
        try database.write { tx in
            let store = SigningKeyStore()
            for key in try store.verificationKeys(on: tx.connection) where key.state == .active {
                try store.setState(.retiring, kid: key.kid, in: tx)
            }
            _ = try store.publish(kid: publicKey.keyID, alg: "ES256", publicJWKJSON: publicKey.jwkJSON, in: tx)
        }
        try next.writePrivateKey(toFile: keyPath, overwrite: true)
        return (previous, publicKey.keyID)
    }

    /// Stops publishing a retiring key (once every token it signed has expired: an hour after
    /// the rotation with the default access-token lifetime). The active key cannot be retired.
    public func retire(kid: String) throws {
        try database.write { tx in
            let store = SigningKeyStore()
            guard let key = try store.byKid(kid, on: tx.connection) else { throw DeskError.notFound("signing key \(kid)") }
            guard key.state != .active else {
                throw DeskError.conflict("\(kid) is the active signing key: rotate first, then retire it")
            }
            try store.setState(.retired, kid: kid, in: tx)
        }
    }

    /// Every key ever published, newest first, with its state.
    public func listAll() throws -> [PublishedSigningKey] {
        try database.withReader { try SigningKeyStore().list(on: $0) }
    }

    /// Keys the database publishes for verification (active and retiring).
    public func publishedKeys() throws -> [PublishedSigningKey] {
        try database.withReader { try SigningKeyStore().verificationKeys(on: $0) }
    }
}
