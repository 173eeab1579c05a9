public import DeskgateSQL
import DeskgateModel
extension TenantScope {
    public var liveGrants: LiveGrantLookup { LiveGrantLookup(scope: self) }
}

/// The state of an OAuth grant as the resource server needs it: is the authorized app
/// still authorized, for whom, which client, which scopes. The authorization server owns the
/// rest of `oauth_grants`; this is the narrow read a bearer check makes, plus the
/// coalesced "last used" write.
public struct LiveGrantLookup: Sendable {
    public let scope: TenantScope

    /// The grant `id` of this tenant if it is not revoked; nil when revoked, deleted or of
    /// another tenant (the same answer for each: the token is dead either way).
    public func byID(_ id: Int64, on db: any SQLConnection) throws -> LiveGrant? {
        try db.queryOne("""
            SELECT id, user_id, client_id, scopes FROM oauth_grants
            WHERE tenant_id = ?1 AND id = ?2 AND revoked_at IS NULL
            """, scope.tenantKey, id) { row in
            LiveGrant(id: row.int64(0), userID: row.int64(1), clientID: row.string(2), scopes: row.string(3))
        }
    }

    /// Records when grants were last used through their access tokens, in the caller's one
    /// transaction; a time only moves `last_used_at` forward (flushes may arrive in any order).
    /// Not tenant-scoped on purpose: ids come from verified tokens of any tenant this process
    /// served. Returns how many rows moved.
    @discardableResult
    public static func recordUse(_ uses: [(id: Int64, at: Int64)], in tx: WriteTransaction) throws -> Int {
        try LastUseTimes.record(uses, table: "oauth_grants", in: tx)
    }
}

/// A grant that still stands (`revoked_at IS NULL`).
public struct LiveGrant: Sendable, Equatable {
    public let id: Int64
    public let userID: Int64
    public let clientID: String
    /// Space-separated, as the authorization server stored the approved scopes.
    public let scopes: String
}
