/// A remembered consent: one user approved one client for these scopes and this resource.
/// It is also the "authorized app" people list and revoke; revoking it kills its tokens.
public struct OAuthGrant: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public let userID: Int64
    public let clientID: String
    public let scopes: [String]
    public let resource: String
    public let createdAt: Int64
    public let lastUsedAt: Int64?
    public let revokedAt: Int64?

    static let columns = "id, tenant_id, user_id, client_id, scopes, resource, created_at, last_used_at, revoked_at"

    init(row: Statement) {
        id = row.int64(0)
        tenantID = row.int64(1)
        userID = row.int64(2)
        clientID = row.string(3)
        scopes = row.string(4).split(separator: " ").map(String.init)
        resource = row.string(5)
        createdAt = row.int64(6)
        lastUsedAt = row.optionalInt64(7)
        revokedAt = row.optionalInt64(8)
    }
}

/// An authorization code as stored (by hash), with what it is bound to.
public struct OAuthCode: Sendable, Equatable {
    public let id: Int64
    public let grantID: Int64
    public let redirectURI: String
    public let codeChallenge: String
    public let resource: String
    public let scopes: [String]
    public let createdAt: Int64
    public let expiresAt: Int64
    public let usedAt: Int64?

    static let columns = "id, grant_id, redirect_uri, code_challenge, resource, scopes, created_at, expires_at, used_at"

    init(row: Statement) {
        id = row.int64(0)
        grantID = row.int64(1)
        redirectURI = row.string(2)
        codeChallenge = row.string(3)
        resource = row.string(4)
        scopes = row.string(5).split(separator: " ").map(String.init)
        createdAt = row.int64(6)
        expiresAt = row.int64(7)
        usedAt = row.optionalInt64(8)
    }
}

public struct NewOAuthCode: Sendable {
    public var codeHash: [UInt8]
    public var grantID: Int64
    public var redirectURI: String
    public var codeChallenge: String
    public var resource: String
    public var scopes: [String]
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(codeHash: [UInt8], grantID: Int64, redirectURI: String, codeChallenge: String, resource: String,
                scopes: [String], createdAt: Int64, expiresAt: Int64) {
        self.codeHash = codeHash
        self.grantID = grantID
        self.redirectURI = redirectURI
        self.codeChallenge = codeChallenge
        self.resource = resource
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// One refresh token of a rotation chain (family = the first token's id).
public struct OAuthRefreshToken: Sendable, Equatable {
    public let id: Int64
    public let grantID: Int64
    public let familyID: Int64
    public let parentID: Int64?
    public let scopes: [String]
    public let createdAt: Int64
    public let rotatedAt: Int64?
    public let revokedAt: Int64?
    public let expiresAt: Int64

    static let columns = "id, grant_id, COALESCE(family_id, id), parent_id, scopes, created_at, rotated_at, revoked_at, expires_at"

    init(row: Statement) {
        id = row.int64(0)
        grantID = row.int64(1)
        familyID = row.int64(2)
        parentID = row.optionalInt64(3)
        scopes = row.string(4).split(separator: " ").map(String.init)
        createdAt = row.int64(5)
        rotatedAt = row.optionalInt64(6)
        revokedAt = row.optionalInt64(7)
        expiresAt = row.int64(8)
    }
}

/// A signed-in browser on the login and consent pages (looked up by the cookie's hash).
public struct LoginSession: Sendable, Equatable {
    public let id: Int64
    public let userID: Int64
    public let csrf: String
    public let createdAt: Int64
    public let expiresAt: Int64
    public let revokedAt: Int64?

    static let columns = "id, user_id, csrf, created_at, expires_at, revoked_at"

    init(row: Statement) {
        id = row.int64(0)
        userID = row.int64(1)
        csrf = row.string(2)
        createdAt = row.int64(3)
        expiresAt = row.int64(4)
        revokedAt = row.optionalInt64(5)
    }
}
