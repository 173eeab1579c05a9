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

    public init(id: Int64, tenantID: Int64, userID: Int64, clientID: String, scopes: [String], resource: String,
                createdAt: Int64, lastUsedAt: Int64?, revokedAt: Int64?) {
        self.id = id
        self.tenantID = tenantID
        self.userID = userID
        self.clientID = clientID
        self.scopes = scopes
        self.resource = resource
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
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

    public init(id: Int64, grantID: Int64, redirectURI: String, codeChallenge: String, resource: String,
                scopes: [String], createdAt: Int64, expiresAt: Int64, usedAt: Int64?) {
        self.id = id
        self.grantID = grantID
        self.redirectURI = redirectURI
        self.codeChallenge = codeChallenge
        self.resource = resource
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
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

    public init(id: Int64, grantID: Int64, familyID: Int64, parentID: Int64?, scopes: [String], createdAt: Int64,
                rotatedAt: Int64?, revokedAt: Int64?, expiresAt: Int64) {
        self.id = id
        self.grantID = grantID
        self.familyID = familyID
        self.parentID = parentID
        self.scopes = scopes
        self.createdAt = createdAt
        self.rotatedAt = rotatedAt
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
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

    public init(id: Int64, userID: Int64, csrf: String, createdAt: Int64, expiresAt: Int64, revokedAt: Int64?) {
        self.id = id
        self.userID = userID
        self.csrf = csrf
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}
