import DeskgateCrypto
import DeskgateStore
public import DeskgateModel
import DeskgateSystem

/// `grant_type=authorization_code` (RFC 6749 §4.1.3, PKCE RFC 7636 §4.6): a code is redeemed
/// once, inside one write job; a replay revokes the grant it minted.
extension OAuthTokenService {
    /// Async: waiting for the group commit suspends instead of holding a thread, so concurrent
    /// token requests share commits.
    public func redeemCode(_ code: String, redirectURI: String?, verifier: String?, resource: String?,
                           client: OAuthClient, context: IssuerContext) async throws -> Result<IssuedTokens, OAuthFailure> {
        guard let redirectURI else { return .failure(.invalidRequest("redirect_uri is required")) }
        guard let verifier else { return .failure(.invalidRequest("code_verifier is required (PKCE)")) }
        _ = try signer.key()  // no key, no decision: a code must not be spent on a token never signed
        let tenant = context.tenant.scope
        let now = clock()
        let refresh = client.grantTypes.contains("refresh_token") ? OpaqueToken.generate(prefix: Self.refreshTokenPrefix) : nil
        let refreshLifetime = Int64(lifetimes.refreshSeconds) * 1000
        let outcome = try await database.write { tx -> Result<Minted, OAuthFailure> in
            let db = tx.connection
            let grants = tenant.oauthGrants
            guard let stored = try grants.code(hash: SHA256.hash(code), on: db),
                  let grant = try grants.byID(stored.grantID, on: db) else {
                return .failure(.invalidGrant("unknown authorization code"))
            }
            guard grant.clientID == client.clientID else {
                return .failure(.invalidGrant("the authorization code was issued to another client"))
            }
            switch CodeRedemption.decide(usedAt: stored.usedAt, expiresAt: stored.expiresAt, now: now) {
            case .replayed:
                try grants.revoke(grantID: grant.id, at: now, in: tx)
                try SecurityEvent.record("code_replayed", tenant: tenant, actor: nil, subject: grant.userID,
                                         detail: [("client_id", client.clientID), ("grant_id", String(grant.id))],
                                         address: nil, at: now, in: tx)
                return .failure(.invalidGrant("the authorization code was already used; every token issued from it is revoked"))
            case .expired:
                return .failure(.invalidGrant("the authorization code has expired"))
            case .redeem:
                break
            }
            guard grant.revokedAt == nil else { return .failure(.invalidGrant("the authorization was revoked")) }
            guard redirectURI == stored.redirectURI else {
                return .failure(.invalidGrant("redirect_uri does not match the authorization request"))
            }
            guard PKCE.verifyS256(verifier: verifier, challenge: stored.codeChallenge) else {
                return .failure(.invalidGrant("code_verifier does not match the code_challenge (PKCE)"))
            }
            if let resource, ResourceIndicator.canonical(resource) != ResourceIndicator.canonical(stored.resource) {
                return .failure(.invalidTarget("resource does not match the authorization request"))
            }
            guard let user = try tenant.users.byID(grant.userID, on: db), user.isActive else {
                return .failure(.invalidGrant("the user can no longer sign in"))
            }
            guard try grants.markCodeUsed(id: stored.id, at: now, in: tx) else {
                return .failure(.invalidGrant("the authorization code was already used"))
            }
            let scopes = Scopes(names: stored.scopes).intersection(ScopePolicy.allowed(for: user.role))
            if let refresh {
                _ = try grants.createRefreshToken(hash: SHA256.hash(refresh), grantID: grant.id, familyID: nil, parentID: nil,
                                                  scopes: scopes.names, at: now,
                                                  expiresAt: now + refreshLifetime, in: tx)
            }
            try grants.recordUse(grantID: grant.id, at: now, in: tx)
            try tenant.oauthClients.recordUse(clientID: client.clientID, at: now, in: tx)
            return .success(Minted(grantID: grant.id, userID: user.id, scopes: scopes, resource: stored.resource,
                                   refreshToken: refresh))
        }
        return try issue(outcome, client: client, context: context, now: now)
    }
}
