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
    /// The approval policy the token adds to its tenant's (`ApprovalPolicy`); "" none.
    public var approval = ""

    public func status(at now: Int64) -> PersonalAccessTokenStatus {
        if revokedAt != nil { return .revoked }
        return now >= expiresAt ? .expired : .active
    }

    public init(id: Int64, tenantID: Int64, userID: Int64, name: String, masked: String, scopes: [String],
                createdAt: Int64, lastUsedAt: Int64?, expiresAt: Int64, revokedAt: Int64?, revokedBy: Int64?) {
        self.id = id
        self.tenantID = tenantID
        self.userID = userID
        self.name = name
        self.masked = masked
        self.scopes = scopes
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
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
    /// The approval policy the token adds to its tenant's; "" none.
    public var approval = ""

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
