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
        let scopes: Scopes
        let resource: String
        let refreshToken: String?
    }

    /// A grant's decision as the token response: what it minted is signed here, outside the
    /// writer (ECDSA need not hold the single writer); a refusal passes through.
    func issue(_ outcome: Result<Minted, OAuthFailure>, client: OAuthClient, context: IssuerContext,
               now: Int64) throws -> Result<IssuedTokens, OAuthFailure> {
        switch outcome {
        case .failure(let failure): return .failure(failure)
        case .success(let minted): return .success(try sign(minted, client: client, context: context, now: now))
        }
    }

    /// The RFC 9068 access token (`AccessTokenFormat`); `exp - iat` is the configured lifetime.
    func sign(_ minted: Minted, client: OAuthClient, context: IssuerContext, now: Int64) throws -> IssuedTokens {
        let iat = now / 1000
        let scope = minted.scopes.text
        let claims = BearerAccessTokenClaims(
            issuer: context.issuer, userID: minted.userID, audience: [minted.resource], clientID: client.clientID,
            scope: scope, tenant: context.tenant.slug, issuedAt: iat, notBefore: iat,
            expiresAt: iat + Int64(lifetimes.accessSeconds), tokenID: SecureRandom.base64URL(byteCount: 16),
            grantID: minted.grantID)
        return IssuedTokens(accessToken: try signer.sign(AccessTokenFormat.mint(claims)), expiresIn: lifetimes.accessSeconds,
                            refreshToken: minted.refreshToken, scope: scope, grantID: minted.grantID)
    }
}
