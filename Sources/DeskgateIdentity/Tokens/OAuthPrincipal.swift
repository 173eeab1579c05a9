public import DeskgateModel

/// Who a request acts as once its OAuth access token (a JWT from `deskgate-auth`) checked out:
/// the user, through the app (client) they authorized.
///
/// A class, like `TokenPrincipal`: the verifier's cache hands out the same object for every
/// request of a token until the revocation counter moves, so a loop can reuse what it built
/// from it by identity (`CallerMemo`).
public final class OAuthPrincipal: Sendable, Equatable {
    public let tenant: Tenant
    public let user: User
    /// The OAuth client the user authorized: activity entries name it.
    public let clientID: String
    /// `oauth_grants.id`: the authorized app; revoking it kills this token.
    public let grantID: Int64
    /// The token's `scope` narrowed to the grant's approved scopes; the role applies on top.
    public let scopes: Scopes
    /// Unix milliseconds of `exp`.
    public let expiresAt: Int64
    /// The user's department memberships (primary first) as of resolution: valid while the
    /// principal is cached, because membership changes bump the revocation counter (migration 3).
    public let departmentIDs: [Int64]
    /// The tenant host the token is bound to (its `iss` and `aud` are that host's URLs, issue
    /// 20), nil for a token of the path URLs. It is accepted only where it was minted for.
    public let host: String?

    init(tenant: Tenant, user: User, clientID: String, grantID: Int64, scopes: Scopes, expiresAt: Int64,
         departmentIDs: [Int64], host: String? = nil) {
        self.host = host
        self.tenant = tenant
        self.user = user
        self.clientID = clientID
        self.grantID = grantID
        self.scopes = scopes
        self.expiresAt = expiresAt
        self.departmentIDs = departmentIDs
    }

    public static func == (lhs: OAuthPrincipal, rhs: OAuthPrincipal) -> Bool {
        lhs.tenant == rhs.tenant && lhs.user == rhs.user && lhs.clientID == rhs.clientID && lhs.grantID == rhs.grantID
            && lhs.scopes == rhs.scopes && lhs.expiresAt == rhs.expiresAt && lhs.departmentIDs == rhs.departmentIDs
            && lhs.host == rhs.host
    }
}

/// Why a presented JWT access token was refused. Every case is a 401 `invalid_token` but a
/// suspended tenant, answered like a PAT's (403); the description goes to `error_description`
/// (it names no secret and no other tenant).
public enum AccessTokenRejection: Error, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// Not a JWS compact serialization, bad base64url, or a header that is not JSON.
    case malformed
    /// `alg` is not one a published key is pinned to (`none`, HS256, RS256, ...).
    case unsupportedAlgorithm
    /// `typ` is not `at+jwt` (RFC 9068 §4): an ID token or another JWT presented as an access token.
    case wrongType
    /// No `kid`, or a `kid` that names no active or retiring published key.
    case unknownKey
    case badSignature
    /// Claims missing or of the wrong type (`exp`, `sub`, `client_id`, `grant_id`, ...).
    case invalidClaims
    case expired
    case notYetValid
    /// `iss` is not this tenant's issuer (and the token names no other tenant of ours).
    case wrongIssuer
    /// `aud` does not contain this resource: a token minted for another server.
    case wrongAudience
    /// A valid token of another tenant presented at this tenant's endpoint.
    case wrongTenant
    /// The grant (authorized app) was revoked, or no longer exists.
    case grantRevoked
    case tenantSuspended
    /// The user was deactivated, or is not the grant's user.
    case userInactive

    public var description: String {
        switch self {
        case .malformed: "the access token is not a well-formed JWT"
        case .unsupportedAlgorithm: "the access token's signing algorithm is not accepted"
        case .wrongType: "the token is not an OAuth access token (typ must be at+jwt)"
        case .unknownKey: "the access token is signed by an unknown key"
        case .badSignature: "the access token's signature is not valid"
        case .invalidClaims: "the access token's claims are incomplete or malformed"
        case .expired: "the access token has expired"
        case .notYetValid: "the access token is not valid yet"
        case .wrongIssuer: "the access token was not issued by this tenant's authorization server"
        case .wrongAudience: "the access token was issued for a different resource"
        case .wrongTenant: "the access token belongs to a different tenant"
        case .grantRevoked: "the app's authorization has been revoked"
        case .tenantSuspended: "this tenant is suspended"
        case .userInactive: "the token's user is deactivated"
        }
    }
}
