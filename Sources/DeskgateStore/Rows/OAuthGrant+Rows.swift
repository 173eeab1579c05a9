import DeskgateSQL
import DeskgateModel

/// Row decoding and column bindings for the model's OAuthGrant types.
extension OAuthGrant {
    static let columns = "id, tenant_id, user_id, client_id, scopes, resource, created_at, last_used_at, revoked_at"

    init(row: any SQLRow) {
        self.init(id: row.int64(0), tenantID: row.int64(1), userID: row.int64(2), clientID: row.string(3),
                  scopes: row.string(4).split(separator: " ").map(String.init), resource: row.string(5),
                  createdAt: row.int64(6), lastUsedAt: row.optionalInt64(7), revokedAt: row.optionalInt64(8))
    }
}

extension OAuthCode {
    static let columns = "id, grant_id, redirect_uri, code_challenge, resource, scopes, created_at, expires_at, used_at"

    init(row: any SQLRow) {
        self.init(id: row.int64(0), grantID: row.int64(1), redirectURI: row.string(2), codeChallenge: row.string(3),
                  resource: row.string(4), scopes: row.string(5).split(separator: " ").map(String.init),
                  createdAt: row.int64(6), expiresAt: row.int64(7), usedAt: row.optionalInt64(8))
    }
}

extension OAuthRefreshToken {
    static let columns = "id, grant_id, COALESCE(family_id, id), parent_id, scopes, created_at, rotated_at, revoked_at, expires_at"

    init(row: any SQLRow) {
        self.init(id: row.int64(0), grantID: row.int64(1), familyID: row.int64(2), parentID: row.optionalInt64(3),
                  scopes: row.string(4).split(separator: " ").map(String.init), createdAt: row.int64(5),
                  rotatedAt: row.optionalInt64(6), revokedAt: row.optionalInt64(7), expiresAt: row.int64(8))
    }
}

extension LoginSession {
    static let columns = "id, user_id, csrf, created_at, expires_at, revoked_at"

    init(row: any SQLRow) {
        self.init(id: row.int64(0), userID: row.int64(1), csrf: row.string(2), createdAt: row.int64(3),
                  expiresAt: row.int64(4), revokedAt: row.optionalInt64(5))
    }
}
