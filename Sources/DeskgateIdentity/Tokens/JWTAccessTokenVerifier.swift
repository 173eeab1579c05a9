public import DeskgateSQL
import DeskgateCrypto
public import DeskgateStore
import DeskgateModel
import DeskgateSystem
import Foundation
import Synchronization

/// Checks OAuth access tokens (RFC 9068 JWTs signed by `deskgate-auth`) for the resource
/// server, next to `TokenAuthenticator` for personal access tokens. One per process.
///
/// Two caches, both keyed by the presented token (`PresentedTokenKey`: one keyed hash of its
/// ~700 bytes, where their SHA-256 cost a cached call ~20 % more CPU than a PAT's) and bounded
/// by `exp` plus the leeway:
/// - *signatures*: what the signature and the claims proved (ES256 runs once per token and
///   process). That never changes for a given token, so no revocation drops it;
/// - *principals*: the token resolved against the database (key still published, grant live,
///   user active, tenant active). As for PATs, the revocation counter is read on every call and
///   a change drops this cache, so a revoked grant (its trigger bumps the counter), a
///   deactivated user, a suspended tenant or a retired key is refused on the very next request;
///   re-resolving then costs a few point reads, not a signature check.
public final class JWTAccessTokenVerifier: Sendable {
    /// Clock difference tolerated between the servers that mint and check tokens (contract: 60 s).
    public static let leewaySeconds: Int64 = 60

    private let cache: VerifiedTokenCache<PresentedTokenKey, OAuthPrincipal>
    /// Signature and claims are facts about the token alone: one fixed generation, never dropped.
    private let signatures: VerifiedTokenCache<PresentedTokenKey, VerifiedAccessToken>
    private let verifications = Atomic<Int>(0)
    private let keys = PublishedKeyRing()
    private let usage = TokenUsageLedger()
    private let urls: TenantURLs
    private let clock: @Sendable () -> Int64

    /// `urls`: `iss` must equal the tenant's issuer, `aud` must contain its resource.
    public convenience init(urls: TenantURLs, cacheCapacity: Int = 10_000) {
        self.init(urls: urls, cacheCapacity: cacheCapacity, clock: { WallClock.milliseconds() })
    }

    /// Tests pass a clock to move past expiry without waiting.
    init(urls: TenantURLs, cacheCapacity: Int, clock: @escaping @Sendable () -> Int64) {
        cache = VerifiedTokenCache(capacity: cacheCapacity)
        signatures = VerifiedTokenCache(capacity: cacheCapacity)
        self.urls = urls
        self.clock = clock
    }

    /// Whether `presented` has the shape of a JWS compact serialization (three dot-separated
    /// segments). Personal access tokens never contain a dot, so this picks the verifier.
    public static func looksLikeJWT(_ presented: String) -> Bool {
        var text = presented
        // On the raw bytes: a JWT is ~700 of them and this runs on every request. `memchr`
        // finds the dots (a PAT has none, so one call answers); a byte loop cost ~300 a request.
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            var dots = 0
            var from = 0
            while from < bytes.count, let hit = memchr(base + from, Int32(UInt8(ascii: ".")), bytes.count - from) {
                dots += 1
                if dots > 2 { return false }
                from = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
            }
            return dots == 2
        }
    }

    /// Authenticates `presented` for the tenant whose endpoint it arrived at, reading through
    /// the caller's `db` (`generation`: as for `TokenAuthenticator.authenticate`). `host`: the
    /// tenant's own host name the request came in on (nil: the path URL); `iss` and `aud` must
    /// be that URL's, so a token works only where it was minted for. Throws only when the
    /// database fails (a 503, not a bad token).
    public func authenticate(_ presented: String, tenantSlug: String, host: String? = nil, on db: any SQLConnection,
                             generation known: Int64? = nil) throws -> Result<OAuthPrincipal, AccessTokenRejection> {
        guard presented.utf8.count <= JWS.maxTokenLength else { return .failure(.malformed) }
        let key = PresentedTokenKey(presented)
        // Read before verifying: what is verified below is cached under a generation no newer
        // than the state it saw (see `VerifiedTokenCache`).
        let generation = try known ?? RevocationCounter().current(on: db)
        let now = clock()
        if let cached = cache.value(for: key, generation: generation) {
            if now >= cached.expiresAt + Self.leewaySeconds * 1000 {
                cache.remove(key)
                return .failure(.expired)
            }
            guard cached.tenant.slug == tenantSlug else { return .failure(.wrongTenant) }
            // Bound to the URL it was minted for (nil == nil for every path token: no cost).
            return cached.host == host ? .success(cached) : .failure(.wrongIssuer)
        }
        let verified: VerifiedAccessToken
        let known = signatures.value(for: key, generation: 0)
        if let known, known.tenantSlug == tenantSlug, known.host == host, now < known.expiresAt + Self.leewaySeconds * 1000 {
            verified = known
        } else {
            if known != nil { signatures.remove(key) }
            switch try verify(presented, tenantSlug: tenantSlug, host: host, now: now, on: db) {
            case .failure(let rejection): return .failure(rejection)
            case .success(let fresh):
                signatures.store(fresh, for: key, generation: 0)
                verified = fresh
            }
        }
        let verdict = try resolve(verified, on: db)
        if case .success(let principal) = verdict {
            cache.store(principal, for: key, generation: generation)
        }
        return verdict
    }

    /// The signature (with the key `kid` names), then the claims for this tenant's endpoint.
    private func verify(_ presented: String, tenantSlug: String, host: String?, now: Int64,
                        on db: any SQLConnection) throws -> Result<VerifiedAccessToken, AccessTokenRejection> {
        verifications.add(1, ordering: .relaxed)
        var storeError: (any Error)?
        let verifiedJWS: (header: JWSHeader, payload: [UInt8])
        do {
            verifiedJWS = try JWS.verify(presented, expectedType: AccessTokenFormat.type) { kid in
                do {
                    return try keys.key(kid: kid, on: db)
                } catch {
                    storeError = error
                    return nil
                }
            }
        } catch {
            if let storeError { throw storeError }
            return .failure(Self.rejection(for: error))
        }
        let payload = verifiedJWS.payload

        let claims: BearerAccessTokenClaims
        do {
            claims = try AccessTokenFormat.parse(payload)
        } catch {
            return .failure(.invalidClaims)
        }
        if let refusal = Self.refusal(of: claims, now: now, issuer: urls.issuer(tenantSlug, host: host),
                                      resource: urls.resource(tenantSlug, host: host)) {
            // Signed by us for another of our tenants: say so (the client used the wrong URL).
            if refusal == .wrongIssuer, let other = claims.tenant, other != tenantSlug, claims.issuer == urls.issuer(other) {
                return .failure(.wrongTenant)
            }
            return .failure(refusal)
        }
        if let tenantClaim = claims.tenant, tenantClaim != tenantSlug { return .failure(.wrongTenant) }
        // JWS.verify found the key by this kid, so it is present.
        return .success(VerifiedAccessToken(
            keyID: verifiedJWS.header.keyID ?? "", tenantSlug: tenantSlug, host: host, userID: claims.userID,
            clientID: claims.clientID, grantID: claims.grantID, scopes: claims.scopes,
            expiresAt: claims.expiresAt * 1000))
    }

    /// Time (RFC 7519 §4.1.4-6, with the leeway), issuer and audience, in that order.
    private static func refusal(of claims: BearerAccessTokenClaims, now: Int64, issuer: String,
                                resource: String) -> AccessTokenRejection? {
        let leeway = leewaySeconds * 1000
        guard now < claims.expiresAt * 1000 + leeway else { return .expired }
        if let notBefore = claims.notBefore, now + leeway < notBefore * 1000 { return .notYetValid }
        if claims.issuedAt * 1000 > now + leeway { return .invalidClaims }
        guard claims.issuer == issuer else { return .wrongIssuer }
        guard claims.audience.contains(resource) else { return .wrongAudience }
        return nil
    }

    /// The database half: the signing key is still published, the grant is live and belongs to
    /// this user and client, the user is active, the tenant is not suspended.
    private func resolve(_ token: VerifiedAccessToken,
                         on db: any SQLConnection) throws -> Result<OAuthPrincipal, AccessTokenRejection> {
        guard try keys.key(kid: token.keyID, on: db) != nil else { return .failure(.unknownKey) }
        let tenant: Tenant
        switch try TenantGate().decide(token.tenantSlug, on: db) {
        case .unknown: return .failure(.wrongTenant)
        case .suspended: return .failure(.tenantSuspended)
        case .open(let open): tenant = open
        }
        guard let grant = try tenant.scope.liveGrants.byID(token.grantID, on: db),
              grant.userID == token.userID, grant.clientID == token.clientID
        else { return .failure(.grantRevoked) }
        guard let user = try tenant.scope.users.byID(token.userID, on: db), user.isActive else {
            return .failure(.userInactive)
        }
        let approved = Scopes(names: grant.scopes.split(whereSeparator: { $0 == " " || $0 == "," }))
        // Cached with the principal, as for PATs, so steady traffic does not re-read them.
        let departments = try tenant.scope.departments.memberships(ofUser: user.id, on: db).map(\.departmentID)
        return .success(OAuthPrincipal(tenant: tenant, user: user, clientID: token.clientID, grantID: grant.id,
                                       scopes: token.scopes.intersection(approved), expiresAt: token.expiresAt,
                                       departmentIDs: departments, host: token.host))
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

    // MARK: last use

    /// Notes that a grant was used now (memory only; `flushUsage` writes `last_used_at`).
    public func noteUse(grantID: Int64, at time: Int64? = nil) {
        usage.note(tokenID: grantID, at: time ?? clock())
    }

    /// Writes every noted grant use in one transaction (the server calls it with the PAT flush).
    /// On failure the uses are kept for the next flush.
    @discardableResult
    public func flushUsage(database: Database) throws -> Int {
        try usage.flush(into: database) { try LiveGrantLookup.recordUse($0, in: $1) }
    }

    /// Principals currently cached, for metrics and tests.
    public var cachedPrincipalCount: Int { cache.count }

    /// Lookups of the principal cache and of the signature cache, for metrics.
    public var cacheLookups: (principals: CacheLookups, signatures: CacheLookups) { (cache.lookups, signatures.lookups) }

    /// Signature checks made so far (cache misses of the signature cache), for metrics and tests.
    public var signatureVerificationCount: Int { verifications.load(ordering: .relaxed) }
}

/// What a token's signature and claims proved, for the tenant endpoint they were checked at.
struct VerifiedAccessToken: Sendable {
    let keyID: String
    let tenantSlug: String
    /// The tenant host whose URLs `iss` and `aud` matched, nil for the path URLs.
    let host: String?
    let userID: Int64
    let clientID: String
    let grantID: Int64
    let scopes: Scopes
    /// Unix milliseconds of `exp`.
    let expiresAt: Int64
}
