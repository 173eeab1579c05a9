/// Where a personal access token stands at a given moment. Revocation wins over expiry:
/// a revoked token stays revoked in lists even after its expiry date passes.
public enum PersonalAccessTokenStatus: String, Sendable, CaseIterable {
    case active, revoked, expired
}

/// A personal access token as stored: never the token itself, and the hash is left out of
/// every read so listings cannot leak it (only `PersonalAccessTokenLookup` matches on it).
public struct PersonalAccessToken: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public let userID: Int64
    /// Empty when the owner gave no name.
    public let name: String
    /// Prefix + last 4 characters, e.g. `dgpat_…9fQa`: enough to recognise, useless to replay.
    public let masked: String
    /// Scope names in stored order; the domain layer knows which ones are valid.
    public let scopes: [String]
    /// Unix milliseconds, like every timestamp in the store.
    public let createdAt: Int64
    public let lastUsedAt: Int64?
    public let expiresAt: Int64
    public let revokedAt: Int64?
    /// The user who revoked it; nil when an operator did (CLI) or it is not revoked.
    public let revokedBy: Int64?

    public func status(at now: Int64) -> PersonalAccessTokenStatus {
        if revokedAt != nil { return .revoked }
        return now >= expiresAt ? .expired : .active
    }

    static let columns = """
        id, tenant_id, user_id, name, masked, scopes, created_at, last_used_at, expires_at, revoked_at, revoked_by
        """

    init(row: Statement) {
        id = row.int64(0)
        tenantID = row.int64(1)
        userID = row.int64(2)
        name = row.string(3)
        masked = row.string(4)
        scopes = row.string(5).split(separator: " ").map(String.init)
        createdAt = row.int64(6)
        lastUsedAt = row.optionalInt64(7)
        expiresAt = row.int64(8)
        revokedAt = row.optionalInt64(9)
        revokedBy = row.optionalInt64(10)
    }
}

/// What creating a token stores. The caller hashes the token; the store never sees it.
public struct NewPersonalAccessToken: Sendable {
    public var userID: Int64
    public var name: String
    /// Raw SHA-256 digest of the whole token (the column is a BLOB).
    public var tokenHash: [UInt8]
    public var masked: String
    public var scopes: [String]
    public var expiresAt: Int64
    /// Nil means now.
    public var createdAt: Int64?

    public init(userID: Int64, name: String, tokenHash: [UInt8], masked: String, scopes: [String],
                expiresAt: Int64, createdAt: Int64? = nil) {
        self.userID = userID
        self.name = name
        self.tokenHash = tokenHash
        self.masked = masked
        self.scopes = scopes
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }
}
