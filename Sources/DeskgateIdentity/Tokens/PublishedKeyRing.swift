import DeskgateSQL
import DeskgateCrypto
import DeskgateStore
import DeskgateModel
import Synchronization

/// The verification keys `deskgate-auth` published in `signing_keys`, by `kid`.
///
/// The row is read on every lookup (a primary-key point read, made only when a token is not
/// in the verified cache), so a retired key stops verifying at once; only the parsed key is
/// kept, under the exact JWK text it came from. The algorithm is pinned by the row's own
/// `alg` column: a key published for ES256 verifies ES256 signatures and nothing else.
final class PublishedKeyRing: Sendable {
    private let parsed = Mutex<[String: (jwk: String, key: VerificationKey)]>([:])

    /// The key for `kid` if it is published as active or retiring, with a known algorithm and
    /// a JWK that parses to that algorithm and that `kid`; nil otherwise.
    func key(kid: String, on db: any SQLConnection) throws -> VerificationKey? {
        guard let row = try SigningKeyStore().byKid(kid, on: db), row.state != .retired,
              let algorithm = JWSAlgorithm(rawValue: row.alg)
        else { return nil }
        if let known = parsed.withLock({ $0[kid] }), known.jwk == row.publicJWKJSON {
            return known.key.algorithm == algorithm ? known.key : nil
        }
        guard let key = try? VerificationKey(jwkJSON: Array(row.publicJWKJSON.utf8)),
              key.keyID == kid, key.algorithm == algorithm
        else { return nil }
        parsed.withLock { $0[kid] = (row.publicJWKJSON, key) }
        return key
    }
}
