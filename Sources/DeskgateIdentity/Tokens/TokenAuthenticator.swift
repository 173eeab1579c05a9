public import DeskgateSQL
public import DeskgateStore
import DeskgateModel
import DeskgateSystem

/// Checks personal access tokens for the resource server: one per process, shared by every
/// event loop and worker.
///
/// Steady traffic costs one point read per request (the revocation counter) and no token
/// query or digest: verified principals are cached by the presented token (`PresentedTokenKey`). The counter is read on every call and
/// a change drops the cache, so a token revoked (or a user deactivated, a tenant suspended:
/// the store's triggers bump the same counter) is refused on the very next request after the
/// revoking transaction commits, in every process.
public final class TokenAuthenticator: Sendable {
    private let cache: VerifiedTokenCache<PresentedTokenKey, TokenPrincipal>
    private let usage = TokenUsageLedger()
    private let clock: @Sendable () -> Int64

    public convenience init(cacheCapacity: Int = 10_000) {
        self.init(cacheCapacity: cacheCapacity, clock: { WallClock.milliseconds() })
    }

    /// Tests pass a clock to move past expiry without waiting.
    init(cacheCapacity: Int, clock: @escaping @Sendable () -> Int64) {
        cache = VerifiedTokenCache(capacity: cacheCapacity)
        self.clock = clock
    }

    /// Authenticates `presented` for the tenant whose endpoint it arrived at. Reads go through
    /// `db`, the caller's own reader (an event loop's, or a pooled one). `generation` is the
    /// revocation counter when the caller has already read it in `db`'s current transaction
    /// (`TurnSnapshot.revocationGeneration`). Throws only when the database fails: that is a
    /// 503, not a reason to tell the client its token is bad.
    public func authenticate(_ presented: String, tenantSlug: String, on db: any SQLConnection,
                             generation known: Int64? = nil) throws -> Result<TokenPrincipal, TokenRejection> {
        let key = PresentedTokenKey(presented)
        // Typos, truncations and other products' tokens never reach the database. A token the
        // cache holds passed this check already (only verified tokens are cached).
        guard cache.contains(key) || PersonalAccessTokenFormat.isWellFormed(presented) else { return .failure(.malformed) }
        // Read before the token: whatever is verified below is then cached under a generation
        // no newer than the state it saw, and a revocation committing meanwhile moves the
        // counter past it, which drops the entry on the next call.
        let generation = try known ?? RevocationCounter().current(on: db)
        let now = clock()
        if let cached = cache.value(for: key, generation: generation) {
            if now >= cached.expiresAt {
                cache.remove(key)
                return .failure(.expired)
            }
            return cached.tenant.slug == tenantSlug ? .success(cached) : .failure(.wrongTenant)
        }
        // Only a miss pays for the digest the store is searched by.
        let verdict = try verify(PersonalAccessTokenFormat.storageKey(presented), tenantSlug: tenantSlug, now: now, on: db)
        if case .success(let principal) = verdict {
            cache.store(principal, for: key, generation: generation)
        }
        return verdict
    }

    /// The database half of `authenticate`, in the order that gives the most useful answer.
    private func verify(_ key: [UInt8], tenantSlug: String, now: Int64,
                        on db: any SQLConnection) throws -> Result<TokenPrincipal, TokenRejection> {
        // A hash-index lookup of a 192-bit secret's digest: its timing reveals nothing usable.
        guard let token = try PersonalAccessTokenLookup().byHash(key, on: db) else { return .failure(.unknown) }
        if now >= token.expiresAt { return .failure(.expired) }
        if token.revokedAt != nil { return .failure(.revoked) }
        guard let row = try TenantDirectory().byID(token.tenantID, on: db) else { return .failure(.unknown) }
        guard row.slug == tenantSlug else { return .failure(.wrongTenant) }
        guard case .open(let tenant) = TenantGate.decision(for: row) else { return .failure(.tenantSuspended) }
        guard let user = try tenant.scope.users.byID(token.userID, on: db), user.isActive else {
            return .failure(.userInactive)
        }
        // Cached with the principal, so steady traffic does not re-read them (see TokenPrincipal).
        let departments = try tenant.scope.departments.memberships(ofUser: user.id, on: db).map(\.departmentID)
        return .success(TokenPrincipal(tenant: tenant, user: user, tokenID: token.id,
                                       scopes: Scopes(names: token.scopes),
                                       expiresAt: token.expiresAt, departmentIDs: departments))
    }

    // MARK: last use

    /// Notes that a token was used now (or at `time`); memory only, see `flushUsage`.
    public func noteUse(tokenID: Int64, at time: Int64? = nil) {
        usage.note(tokenID: tokenID, at: time ?? clock())
    }

    /// Writes every noted use in one transaction; the server calls it every ~30 s and at
    /// shutdown. Returns how many tokens' `last_used_at` moved. On failure the uses are kept
    /// for the next flush.
    @discardableResult
    public func flushUsage(database: Database) throws -> Int {
        try usage.flush(into: database) { try PersonalAccessTokenLookup().recordUse($0, in: $1) }
    }

    /// Uses noted and not yet flushed (one per token, however many requests).
    public var pendingUsageCount: Int { usage.count }

    /// Principals currently cached, for metrics and tests.
    public var cachedPrincipalCount: Int { cache.count }

    /// Lookups of the principal cache, for metrics.
    public var cacheLookups: CacheLookups { cache.lookups }
}
