import DeskgateCrypto
public import DeskgateStore
public import DeskgateModel
public import DeskgateSystem

/// Lifetimes the token endpoint works with (from configuration).
public struct TokenLifetimes: Sendable, Equatable {
    public var accessSeconds: Int
    public var refreshSeconds: Int
    /// See `RefreshRotation.concurrentSibling`.
    public var reuseGraceSeconds: Int

    public init(accessSeconds: Int = 3600, refreshSeconds: Int = 30 * 86_400, reuseGraceSeconds: Int = 10) {
        self.accessSeconds = accessSeconds
        self.refreshSeconds = refreshSeconds
        self.reuseGraceSeconds = reuseGraceSeconds
    }
}

/// A token response's content (RFC 6749 §5.1).
public struct IssuedTokens: Sendable, Equatable {
    public let accessToken: String
    public let expiresIn: Int
    public let refreshToken: String?
    public let scope: String
    public let grantID: Int64
}

/// Where a tenant's tokens come from and who they are for.
public struct IssuerContext: Sendable, Equatable {
    public let tenant: Tenant
    /// `AUTH/t/{slug}`: `iss` of its tokens.
    public let issuer: String
    /// `MCP/t/{slug}/mcp`: the only audience its tokens carry.
    public let resource: String

    public init(tenant: Tenant, issuer: String, resource: String) {
        self.tenant = tenant
        self.issuer = issuer
        self.resource = resource
    }
}

/// The token endpoint's grants (authorization_code, refresh_token), revocation (RFC 7009) and
/// introspection (RFC 7662). Each decision happens inside one write job on the single writer,
/// so a code is redeemed once and a refresh token rotates once, even under concurrent requests.
/// Refusals that must also revoke (code replay, refresh reuse) are returned, not thrown, so the
/// revocation commits with the refusal.
public struct OAuthTokenService: Sendable {
    let database: Database
    let signer: AccessTokenSigner
    let lifetimes: TokenLifetimes
    let clock: @Sendable () -> Int64
    /// Revocation and introspection check signatures with the published keys.
    let keys = PublishedKeyRing()

    public init(database: Database, signer: AccessTokenSigner, lifetimes: TokenLifetimes,
                clock: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() }) {
        self.database = database
        self.signer = signer
        self.lifetimes = lifetimes
        self.clock = clock
    }

    public static let refreshTokenPrefix = "dgrt_"

    /// What a successful grant decided, before the access token is signed (outside the writer).
    struct Minted: Sendable {
        let grantID: Int64
        let userID: Int64
        let scopes: Set<Scope>
        let resource: String
        let refreshToken: String?
    }

    // MARK: authorization_code

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
            let scopes = ScopePolicy.known(stored.scopes.joined(separator: " ")).intersection(ScopePolicy.allowed(for: user.role))
            if let refresh {
                _ = try grants.createRefreshToken(hash: SHA256.hash(refresh), grantID: grant.id, familyID: nil, parentID: nil,
                                                  scopes: scopes.sorted().map(\.rawValue), at: now,
                                                  expiresAt: now + refreshLifetime, in: tx)
            }
            try grants.recordUse(grantID: grant.id, at: now, in: tx)
            try tenant.oauthClients.recordUse(clientID: client.clientID, at: now, in: tx)
            return .success(Minted(grantID: grant.id, userID: user.id, scopes: scopes, resource: stored.resource,
                                   refreshToken: refresh))
        }
        switch outcome {
        case .failure(let failure): return .failure(failure)
        case .success(let minted): return .success(try sign(minted, client: client, context: context, now: now))
        }
    }

    // MARK: refresh_token

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
            var scopes = ScopePolicy.known(stored.scopes.joined(separator: " "))
            if let requested, !requested.isEmpty {
                let asked = ScopePolicy.known(requested)
                guard !asked.isEmpty, asked.isSubset(of: scopes) else {
                    return .failure(.invalidScope("a refresh may only narrow the scopes that were granted"))
                }
                scopes = asked
            }
            scopes.formIntersection(ScopePolicy.allowed(for: user.role))
            try grants.markRotated(id: stored.id, at: now, in: tx)
            _ = try grants.createRefreshToken(hash: SHA256.hash(next), grantID: grant.id, familyID: stored.familyID,
                                              parentID: stored.id, scopes: scopes.sorted().map(\.rawValue), at: now,
                                              expiresAt: now + refreshLifetime, in: tx)
            try grants.recordUse(grantID: grant.id, at: now, in: tx)
            try tenant.oauthClients.recordUse(clientID: client.clientID, at: now, in: tx)
            return .success(Minted(grantID: grant.id, userID: user.id, scopes: scopes, resource: grant.resource,
                                   refreshToken: next))
        }
        switch outcome {
        case .failure(let failure): return .failure(failure)
        case .success(let minted): return .success(try sign(minted, client: client, context: context, now: now))
        }
    }

    /// RFC 9068 claims per design.md; `exp - iat` is the configured lifetime.
    private func sign(_ minted: Minted, client: OAuthClient, context: IssuerContext, now: Int64) throws -> IssuedTokens {
        let iat = now / 1000
        let scope = Scope.text(minted.scopes)
        let claims = BearerAccessTokenClaims(
            issuer: context.issuer, userID: minted.userID, audience: [minted.resource], clientID: client.clientID,
            scope: scope, tenant: context.tenant.slug, issuedAt: iat, notBefore: iat,
            expiresAt: iat + Int64(lifetimes.accessSeconds), tokenID: SecureRandom.base64URL(byteCount: 16),
            grantID: minted.grantID)
        return IssuedTokens(accessToken: try signer.sign(AccessTokenFormat.mint(claims)), expiresIn: lifetimes.accessSeconds,
                            refreshToken: minted.refreshToken, scope: scope, grantID: minted.grantID)
    }

    // MARK: revocation and introspection

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

/// RFC 8707 resource indicators, compared in one canonical spelling: lowercase scheme and
/// host, no trailing slash (clients vary on both), no fragment.
public enum ResourceIndicator {
    public static func canonical(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = text[schemeEnd.upperBound...]
        let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var tail = String(rest[hostEnd...])
        if let hash = tail.firstIndex(of: "#") { tail = String(tail[..<hash]) }
        while tail.hasSuffix("/") { tail.removeLast() }
        return scheme + "://" + rest[..<hostEnd].lowercased() + tail
    }

    /// Nil when `text` is acceptable as a resource parameter at all (RFC 8707 §2: absolute URI, no fragment).
    public static func problem(_ text: String) -> String? {
        guard text.contains("://"), !text.contains("#") else { return "resource must be an absolute URI without a fragment" }
        return nil
    }
}
