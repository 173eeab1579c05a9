import DeskgateCrypto
import DeskgateStore
public import DeskgateModel
import DeskgateSystem

/// RFC 7009: revoking an access or refresh token revokes its grant.
extension OAuthTokenService {
    /// RFC 7009: a refresh token or access token of this client revokes its grant (every token
    /// issued under it). Anything else (unknown, another client's, another tenant's) changes nothing.
    public func revoke(_ token: String, client: OAuthClient, context: IssuerContext) throws {
        let tenant = context.tenant.scope
        let now = clock()
        if let claims = try verifiedClaims(token, context: context), claims.clientID == client.clientID {
            try database.write { tx in
                guard let grant = try tenant.oauthGrants.byID(claims.grantID, on: tx.connection),
                      grant.clientID == client.clientID else { return }
                try tenant.oauthGrants.revoke(grantID: grant.id, at: now, in: tx)
            }
            return
        }
        guard OpaqueToken.hasValidChecksum(token, prefix: Self.refreshTokenPrefix) else { return }
        try database.write { tx in
            guard let stored = try tenant.oauthGrants.refreshToken(hash: SHA256.hash(token), on: tx.connection),
                  let grant = try tenant.oauthGrants.byID(stored.grantID, on: tx.connection),
                  grant.clientID == client.clientID else { return }
            try tenant.oauthGrants.revoke(grantID: grant.id, at: now, in: tx)
        }
    }

    /// RFC 7662 §2.2 members for an active token; nil means `{"active": false}`.
}
