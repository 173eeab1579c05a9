import DeskgateCrypto
public import DeskgateStore
import DeskgateSystem
import Foundation

/// Checks OAuth access tokens (RFC 9068 JWTs signed by `deskgate-auth`) for the resource
/// server, next to `TokenAuthenticator` for personal access tokens. One per process.
///
/// The signature is verified once per token: the principal is then cached by the token's
/// SHA-256 until `exp` (plus the leeway). As for PATs, the revocation counter is read on every
/// call and a change drops the cache, so a revoked grant (its trigger bumps the counter), a
/// deactivated user, a suspended tenant or a retired key is refused on the very next request.
public final class JWTAccessTokenVerifier: Sendable {
    /// Clock difference tolerated between the servers that mint and check tokens (contract: 60 s).
    public static let leewaySeconds: Int64 = 60

    private let cache: VerifiedTokenCache<OAuthPrincipal>
    private let keys = PublishedKeyRing()
    private let usage = TokenUsageLedger()
    private let issuer: @Sendable (String) -> String
    private let resource: @Sendable (String) -> String
    private let clock: @Sendable () -> Int64

    /// - Parameters:
    ///   - issuer: the tenant's issuer for a slug (`AUTH/t/{slug}`): `iss` must equal it.
    ///   - resource: this server's resource for a slug (`MCP/t/{slug}/mcp`): `aud` must contain it.
    public convenience init(issuer: @escaping @Sendable (String) -> String,
                            resource: @escaping @Sendable (String) -> String, cacheCapacity: Int = 10_000) {
        self.init(issuer: issuer, resource: resource, cacheCapacity: cacheCapacity, clock: { WallClock.milliseconds() })
    }

    /// Tests pass a clock to move past expiry without waiting.
    init(issuer: @escaping @Sendable (String) -> String, resource: @escaping @Sendable (String) -> String,
         cacheCapacity: Int, clock: @escaping @Sendable () -> Int64) {
        cache = VerifiedTokenCache(capacity: cacheCapacity)
        self.issuer = issuer
        self.resource = resource
        self.clock = clock
    }

    /// Whether `presented` has the shape of a JWS compact serialization (three dot-separated
    /// segments). Personal access tokens never contain a dot, so this picks the verifier.
    public static func looksLikeJWT(_ presented: String) -> Bool {
        var dots = 0
        for byte in presented.utf8 where byte == UInt8(ascii: ".") { dots += 1 }
        return dots == 2
    }

    /// Authenticates `presented` for the tenant whose endpoint it arrived at, reading through
    /// the caller's `db`. Throws only when the database fails (a 503, not a bad token).
    public func authenticate(_ presented: String, tenantSlug: String,
                             on db: SQLiteConnection) throws -> Result<OAuthPrincipal, AccessTokenRejection> {
        guard presented.utf8.count <= JWS.maxTokenLength else { return .failure(.malformed) }
        let key = SHA256.hash(presented)
        // Read before verifying: what is verified below is cached under a generation no newer
        // than the state it saw (see `VerifiedTokenCache`).
        let generation = try RevocationCounter().current(on: db)
        let now = clock()
        if let cached = cache.value(for: key, generation: generation) {
            if now >= cached.expiresAt + Self.leewaySeconds * 1000 {
                cache.remove(key)
                return .failure(.expired)
            }
            return cached.tenant.slug == tenantSlug ? .success(cached) : .failure(.wrongTenant)
        }
        let verdict = try verify(presented, tenantSlug: tenantSlug, now: now, on: db)
        if case .success(let principal) = verdict {
            cache.store(principal, for: key, generation: generation)
        }
        return verdict
    }

    /// Signature, then claims, then the database state, each refusal with its own reason.
    private func verify(_ presented: String, tenantSlug: String, now: Int64,
                        on db: SQLiteConnection) throws -> Result<OAuthPrincipal, AccessTokenRejection> {
        var storeError: (any Error)?
        let payload: [UInt8]
        do {
            payload = try JWS.verify(presented, expectedType: "at+jwt") { kid in
                do {
                    return try keys.key(kid: kid, on: db)
                } catch {
                    storeError = error
                    return nil
                }
            }.payload
        } catch {
            if let storeError { throw storeError }
            return .failure(Self.rejection(for: error))
        }

        guard let claims = BearerAccessTokenClaims.decode(payload) else { return .failure(.invalidClaims) }
        let validator = JWTClaimsValidator(issuer: issuer(tenantSlug), audience: resource(tenantSlug),
                                           leeway: TimeInterval(Self.leewaySeconds))
        let registered: JWTClaims
        do {
            registered = try validator.validate(payload, now: Date(timeIntervalSince1970: TimeInterval(now) / 1000))
        } catch .wrongIssuer {
            // Signed by us for another of our tenants: say so (the client used the wrong URL).
            if let other = claims.tenant, other != tenantSlug, claims.issuer == issuer(other) {
                return .failure(.wrongTenant)
            }
            return .failure(.wrongIssuer)
        } catch {
            return .failure(Self.rejection(for: error))
        }
        if let tenantClaim = claims.tenant, tenantClaim != tenantSlug { return .failure(.wrongTenant) }

        guard let tenant = try TenantDirectory().bySlug(tenantSlug, on: db) else { return .failure(.wrongTenant) }
        guard tenant.status == .active else { return .failure(.tenantSuspended) }
        guard let grant = try tenant.scope.liveGrants.byID(claims.grantID, on: db),
              grant.userID == claims.subject, grant.clientID == claims.clientID
        else { return .failure(.grantRevoked) }
        guard let user = try tenant.scope.users.byID(claims.subject, on: db), user.isActive else {
            return .failure(.userInactive)
        }
        let approved = Set(grant.scopes.split(whereSeparator: { $0 == " " || $0 == "," })
                                       .compactMap { Scope(rawValue: String($0)) })
        return .success(OAuthPrincipal(tenant: tenant, user: user, clientID: claims.clientID, grantID: grant.id,
                                       scopes: claims.scopes.intersection(approved),
                                       expiresAt: Int64((registered.expiresAt.timeIntervalSince1970 * 1000).rounded(.down))))
    }

    private static func rejection(for error: JWSError) -> AccessTokenRejection {
        switch error {
        case .malformed, .invalidEncoding, .malformedHeader, .unsupportedCriticalHeader: .malformed
        case .unsupportedAlgorithm, .algorithmMismatch: .unsupportedAlgorithm
        case .wrongType: .wrongType
        case .missingKeyID, .unknownKeyID: .unknownKey
        case .invalidSignatureLength, .invalidSignature: .badSignature
        }
    }

    private static func rejection(for error: JWTClaimsError) -> AccessTokenRejection {
        switch error {
        case .malformedPayload, .missingClaim, .malformedClaim, .issuedInFuture: .invalidClaims
        case .expired: .expired
        case .notYetValid: .notYetValid
        case .wrongIssuer: .wrongIssuer
        case .wrongAudience: .wrongAudience
        }
    }

    // MARK: last use

    /// Notes that a grant was used now (memory only; `flushUsage` writes `last_used_at`).
    public func noteUse(grantID: Int64, at time: Int64? = nil) {
        usage.note(tokenID: grantID, at: time ?? clock())
    }

    /// Writes every noted grant use in one transaction (the server calls it with the PAT flush).
    /// On failure the uses are kept for the next flush.
    @discardableResult
    public func flushUsage(database: Database) throws -> Int {
        let noted = usage.take()
        guard !noted.isEmpty else { return 0 }
        let uses = noted.sorted { $0.key < $1.key }.map { (id: $0.key, at: $0.value) }
        do {
            return try database.write { tx in try LiveGrantLookup.recordUse(uses, in: tx) }
        } catch {
            usage.restore(noted)
            throw error
        }
    }

    /// Principals currently cached, for metrics and tests.
    public var cachedPrincipalCount: Int { cache.count }
}
