import DeskgateCrypto
import DeskgateStore
import DeskgateModel
import DeskgateSystem

/// RFC 7662: what a token is, for the resource servers that prefer asking to verifying.
extension OAuthTokenService {
    public func introspect(_ token: String, context: IssuerContext) throws -> [(String, IntrospectionValue)]? {
        let tenant = context.tenant.scope
        let now = clock()
        if let claims = try verifiedClaims(token, context: context) {
            // Deskgate's tokens name their tenant and exactly one audience; anything else is not active here.
            guard claims.expiresAt * 1000 > now, claims.tenant == context.tenant.slug, claims.audience.count == 1
            else { return nil }
            return try database.withReader { db -> [(String, IntrospectionValue)]? in
                guard let grant = try tenant.oauthGrants.byID(claims.grantID, on: db), grant.revokedAt == nil,
                      let user = try tenant.users.byID(grant.userID, on: db), user.isActive else { return nil }
                return [("active", .bool(true)), ("scope", .string(claims.scope)), ("client_id", .string(claims.clientID)),
                        ("sub", .string(String(claims.userID))), ("aud", .string(claims.audience[0])),
                        ("iss", .string(claims.issuer)), ("exp", .int(claims.expiresAt)), ("iat", .int(claims.issuedAt)),
                        ("jti", .string(claims.tokenID)), ("token_type", .string("Bearer")),
                        ("tenant", .string(context.tenant.slug)), ("grant_id", .int(claims.grantID))]
            }
        }
        guard OpaqueToken.hasValidChecksum(token, prefix: Self.refreshTokenPrefix) else { return nil }
        return try database.withReader { db -> [(String, IntrospectionValue)]? in
            guard let stored = try tenant.oauthGrants.refreshToken(hash: SHA256.hash(token), on: db),
                  stored.revokedAt == nil, stored.rotatedAt == nil, stored.expiresAt > now,
                  let grant = try tenant.oauthGrants.byID(stored.grantID, on: db), grant.revokedAt == nil,
                  let user = try tenant.users.byID(grant.userID, on: db), user.isActive else { return nil }
            return [("active", .bool(true)), ("scope", .string(stored.scopes.joined(separator: " "))),
                    ("client_id", .string(grant.clientID)), ("sub", .string(String(user.id))), ("aud", .string(grant.resource)),
                    ("iss", .string(context.issuer)), ("exp", .int(stored.expiresAt / 1000)), ("iat", .int(stored.createdAt / 1000)),
                    ("token_type", .string("refresh_token")), ("tenant", .string(context.tenant.slug)), ("grant_id", .int(grant.id))]
        }
    }

    public enum IntrospectionValue: Sendable, Equatable {
        case string(String)
        case int(Int64)
        case bool(Bool)
    }

    /// Claims of a JWT this issuer signed (signature by a key it publishes, `typ`, `iss`);
    /// expiry is the caller's business. Keys come from the same ring the resource server uses,
    /// so a call reads one `signing_keys` row instead of parsing every published JWK.
    func verifiedClaims(_ token: String, context: IssuerContext) throws -> BearerAccessTokenClaims? {
        guard JWTAccessTokenVerifier.looksLikeJWT(token) else { return nil }
        let payload = try database.withReader { db in
            try? JWS.verify(token, expectedType: AccessTokenFormat.type) { kid in try? keys.key(kid: kid, on: db) }.payload
        }
        guard let payload, let claims = try? AccessTokenFormat.parse(payload), claims.issuer == context.issuer else { return nil }
        return claims
    }
}
