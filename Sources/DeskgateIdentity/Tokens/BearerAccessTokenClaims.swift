/// What a Deskgate access token says (the RFC 9068 profile of `deskgate-auth`,
/// docs/authorization-server.md). `AccessTokenFormat` turns it into a JWT payload and back; nothing else
/// knows how the claims are spelled.
struct BearerAccessTokenClaims: Sendable, Equatable {
    /// The tenant's issuer, `AUTH/t/{slug}`.
    var issuer: String
    /// The user id; on the wire a decimal string (RFC 9068 §2.2: `sub` is a string).
    var userID: Int64
    /// The resources the token is for; Deskgate mints exactly one, the tenant's MCP URL.
    var audience: [String]
    var clientID: String
    /// Space-separated; names this server does not know (`offline_access`) are ignored.
    var scope: String
    /// The tenant slug; tells "another tenant's token" apart from "a foreign issuer".
    var tenant: String?
    /// Unix seconds.
    var issuedAt: Int64
    var notBefore: Int64?
    var expiresAt: Int64
    /// `jti`: unique per token.
    var tokenID: String
    var grantID: Int64

    /// The scopes this server knows, among `scope`'s names.
    var scopes: Scopes {
        Scopes(known: scope)
    }
}
