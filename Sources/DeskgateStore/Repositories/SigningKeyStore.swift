public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

/// The deployment's published public keys (not tenant-owned: every tenant issuer shares them).
/// The authorization server publishes a key here before it signs with it; resource servers
/// read `verificationKeys` to check signatures.
public struct SigningKeyStore: Sendable {
    public init() {}

    public func publish(kid: String, alg: String, publicJWKJSON: String, state: SigningKeyState = .active,
                        in tx: WriteTransaction) throws -> PublishedSigningKey {
        let now = WallClock.milliseconds()
        return try tx.connection.queryOne("""
            INSERT INTO signing_keys (kid, alg, public_jwk_json, state, created_at, activated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING \(PublishedSigningKey.columns)
            """, kid, alg, publicJWKJSON, state, now, state == .active ? now : nil) { try PublishedSigningKey(row: $0) }!
    }

    /// Keys that may verify a token: active and retiring, newest first.
    public func verificationKeys(on db: any SQLConnection) throws -> [PublishedSigningKey] {
        try db.queryAll("""
            SELECT \(PublishedSigningKey.columns) FROM signing_keys WHERE state IN ('active', 'retiring') ORDER BY created_at DESC, kid
            """) { try PublishedSigningKey(row: $0) }
    }

    public func list(on db: any SQLConnection) throws -> [PublishedSigningKey] {
        try db.queryAll("SELECT \(PublishedSigningKey.columns) FROM signing_keys ORDER BY created_at DESC, kid") {
            try PublishedSigningKey(row: $0)
        }
    }

    public func byKid(_ kid: String, on db: any SQLConnection) throws -> PublishedSigningKey? {
        try db.queryOne("SELECT \(PublishedSigningKey.columns) FROM signing_keys WHERE kid = ?1", kid) { try PublishedSigningKey(row: $0) }
    }

    /// Moves a key along active → retiring → retired; retiring bumps the revocation counter
    /// (trigger) so caches drop tokens it signed. Returns false for an unknown kid.
    @discardableResult
    public func setState(_ state: SigningKeyState, kid: String, in tx: WriteTransaction) throws -> Bool {
        let now = WallClock.milliseconds()
        return try tx.connection.run("""
            UPDATE signing_keys SET state = ?2,
                activated_at = CASE WHEN ?2 = 'active' THEN coalesce(activated_at, ?3) ELSE activated_at END,
                retired_at = CASE WHEN ?2 = 'retired' THEN ?3 ELSE retired_at END
            WHERE kid = ?1
            """, kid, state, now) > 0
    }
}
