import DeskgateCrypto
import DeskgateStore
public import DeskgateModel
import DeskgateSystem

/// `grant_type=refresh_token` (RFC 6749 §6, OAuth 2.1 §4.3): rotation on every use, reuse of a
/// rotated token revokes the grant (`RefreshRotation` decides).
extension OAuthTokenService {
    public func refresh(_ token: String, scope requested: String?, resource: String?, client: OAuthClient,
                        context: IssuerContext) async throws -> Result<IssuedTokens, OAuthFailure> {
        guard client.grantTypes.contains("refresh_token") else {
            return .failure(.unauthorizedClient("this client did not register the refresh_token grant"))
        }
        _ = try signer.key()
        let tenant = context.tenant.scope
        let now = clock()
        let next = OpaqueToken.generate(prefix: Self.refreshTokenPrefix)
        let refreshLifetime = Int64(lifetimes.refreshSeconds) * 1000
        let grace = Int64(lifetimes.reuseGraceSeconds) * 1000
        let outcome = try await database.write { tx -> Result<Minted, OAuthFailure> in
            let db = tx.connection
            let grants = tenant.oauthGrants
            guard OpaqueToken.hasValidChecksum(token, prefix: Self.refreshTokenPrefix),
                  let stored = try grants.refreshToken(hash: SHA256.hash(token), on: db),
                  let grant = try grants.byID(stored.grantID, on: db) else {
                return .failure(.invalidGrant("unknown refresh token"))
            }
            guard grant.clientID == client.clientID else {
                return .failure(.invalidGrant("the refresh token was issued to another client"))
            }
            guard grant.revokedAt == nil else { return .failure(.invalidGrant("the authorization was revoked")) }
            switch RefreshRotation.decide(rotatedAt: stored.rotatedAt, revokedAt: stored.revokedAt, expiresAt: stored.expiresAt,
                                          now: now, graceMilliseconds: grace) {
            case .revoked: return .failure(.invalidGrant("the refresh token was revoked"))
            case .expired: return .failure(.invalidGrant("the refresh token has expired"))
            case .reuseDetected:
                try grants.revoke(grantID: grant.id, at: now, in: tx)
                try SecurityEvent.record("refresh_token_reused", tenant: tenant, actor: nil, subject: grant.userID,
                                         detail: [("client_id", client.clientID), ("grant_id", String(grant.id))],
                                         address: nil, at: now, in: tx)
                return .failure(.invalidGrant("the refresh token was already used; the authorization is revoked"))
            case .rotate, .concurrentSibling:
                break
            }
            if let resource, ResourceIndicator.canonical(resource) != ResourceIndicator.canonical(grant.resource) {
                return .failure(.invalidTarget("resource does not match the authorization"))
            }
            guard let user = try tenant.users.byID(grant.userID, on: db), user.isActive else {
                return .failure(.invalidGrant("the user can no longer sign in"))
            }
            var scopes = Scopes(names: stored.scopes)
            if let requested, !requested.isEmpty {
                let asked = Scopes(known: requested)
                guard !asked.isEmpty, asked.isSubset(of: scopes) else {
                    return .failure(.invalidScope("a refresh may only narrow the scopes that were granted"))
                }
                scopes = asked
            }
            scopes.formIntersection(ScopePolicy.allowed(for: user.role))
            try grants.markRotated(id: stored.id, at: now, in: tx)
            _ = try grants.createRefreshToken(hash: SHA256.hash(next), grantID: grant.id, familyID: stored.familyID,
                                              parentID: stored.id, scopes: scopes.names, at: now,
                                              expiresAt: now + refreshLifetime, in: tx)
            try grants.recordUse(grantID: grant.id, at: now, in: tx)
            try tenant.oauthClients.recordUse(clientID: client.clientID, at: now, in: tx)
            return .success(Minted(grantID: grant.id, userID: user.id, scopes: scopes, resource: grant.resource,
                                   refreshToken: next))
        }
        return try issue(outcome, client: client, context: context, now: now)
    }
}
