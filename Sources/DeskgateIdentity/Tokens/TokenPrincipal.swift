public import DeskgateModel

/// Who a request acts as once its personal access token checked out.
///
/// A class: the verified-token cache hands the same principal to every request of a token, and
/// copying a struct of tenant and user rows (and destroying the copy) cost ~4k instructions
/// per MCP call (callgrind). Immutable, so sharing it across loops is safe.
public final class TokenPrincipal: Sendable, Equatable {
    public let tenant: Tenant
    public let user: User
    public let tokenID: Int64
    /// Caps what the token may do; the user's role still applies on top.
    public let scopes: Scopes
    /// Unix milliseconds.
    public let expiresAt: Int64
    /// The user's department memberships (primary first) as of verification, when the verifier
    /// read them: valid as long as the principal is cached, because membership changes bump the
    /// revocation counter (migration 3). Nil means "not read": load them per request.
    public let departmentIDs: [Int64]?

    public init(tenant: Tenant, user: User, tokenID: Int64, scopes: Scopes, expiresAt: Int64,
                departmentIDs: [Int64]? = nil) {
        self.tenant = tenant
        self.user = user
        self.tokenID = tokenID
        self.scopes = scopes
        self.expiresAt = expiresAt
        self.departmentIDs = departmentIDs
    }

    public static func == (a: TokenPrincipal, b: TokenPrincipal) -> Bool {
        a === b || (a.tenant == b.tenant && a.user == b.user && a.tokenID == b.tokenID && a.scopes == b.scopes
                    && a.expiresAt == b.expiresAt && a.departmentIDs == b.departmentIDs)
    }
}

/// Why a presented token was refused. The resource server answers every case with 401
/// `invalid_token` (the description goes to the log and the error_description), except
/// that a suspended tenant is worth saying plainly (design: "Tenancy").
public enum TokenRejection: Error, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// Not a Deskgate token at all, or mistyped/truncated: caught offline by the checksum.
    case malformed
    /// Well-formed but matches no stored token.
    case unknown
    case expired
    case revoked
    /// A valid token of another tenant presented at this tenant's endpoint.
    case wrongTenant
    case tenantSuspended
    /// The owner was deactivated.
    case userInactive

    public var description: String {
        switch self {
        case .malformed: "the access token is not a well-formed Deskgate personal access token"
        case .unknown: "the access token is not recognised"
        case .expired: "the personal access token has expired"
        case .revoked: "the personal access token has been revoked"
        case .wrongTenant: "the personal access token belongs to a different tenant"
        case .tenantSuspended: "this tenant is suspended"
        case .userInactive: "the token's owner is deactivated"
        }
    }
}
