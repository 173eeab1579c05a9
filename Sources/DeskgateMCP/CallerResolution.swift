import DeskgateDesk
import DeskgateIdentity
import DeskgateModel

/// Why a presented token made no caller.
enum CallerRejection: Error, Sendable, Equatable {
    /// The token is malformed, unknown, expired, revoked, of another tenant or of an inactive
    /// user (the description says which, for the client; it never repeats the token).
    case invalid(String)
    /// A PAT or access token of a suspended tenant: the token is fine, the tenant is not
    /// (`TenantRefusal.suspended`, HTTP 403, not 401).
    case tenantSuspended
    /// A database fault: ours, not the client's, so never reported as a bad token.
    case unavailable
}

extension MCPService {
    /// The one way a presented credential becomes a caller, for every route a token takes: the
    /// HTTP headers, the HTTP+SSE heartbeat, stdio's environment and the per-call
    /// `access_token` argument. A bearer shaped like a JWT is an OAuth access token from
    /// deskgate-auth; anything else is a personal access token. `noteUse` records the use
    /// (coalesced); re-checks of a stream's credential are not uses. An event loop passes its
    /// `memo` so a cached principal keeps giving the same caller object, and the revocation
    /// `generation` its turn has read (`ReadTurn`).
    /// `host`: the tenant's own host name the request came in on (nil: the path URL); an OAuth
    /// access token must have been minted for that URL. PATs are not bound to a URL.
    func caller(for token: String, tenantSlug: String, host: String? = nil, on db: ReadHandle, noteUse: Bool = true,
                memo: CallerMemo? = nil, generation: Int64? = nil) -> Result<Caller, CallerRejection> {
        let kind: MCPMetrics.TokenKind = JWTAccessTokenVerifier.looksLikeJWT(token) ? .oauthAccessToken : .personalAccessToken
        let result = caller(for: token, kind: kind, tenantSlug: tenantSlug, host: host, on: db, noteUse: noteUse, memo: memo,
                            generation: generation)
        switch result {
        case .success: metrics.countTokenCheck(kind, .accepted)
        case .failure(.invalid): metrics.countTokenCheck(kind, .invalid)
        case .failure(.tenantSuspended): metrics.countTokenCheck(kind, .tenantSuspended)
        case .failure(.unavailable): metrics.countTokenCheck(kind, .unavailable)
        }
        return result
    }

    private func caller(for token: String, kind: MCPMetrics.TokenKind, tenantSlug: String, host: String?, on db: ReadHandle, noteUse: Bool,
                        memo: CallerMemo?, generation: Int64?) -> Result<Caller, CallerRejection> {
        do {
            if kind == .oauthAccessToken {
                switch try accessTokens.authenticate(token, tenantSlug: tenantSlug, host: host, on: db, generation: generation) {
                case .failure(.tenantSuspended): return .failure(.tenantSuspended)
                case .failure(let rejection): return .failure(.invalid(rejection.description))
                case .success(let principal):
                    // An app the admin no longer allows loses its access tokens too, not only new
                    // ones (a settings change bumps the revocation counter, so no cache keeps it).
                    if principal.tenant.settingsJSON != "{}",
                       !tenantSettings.settings(for: principal.tenant).allowsApp(clientID: principal.clientID) {
                        return .failure(.invalid("this app is not allowed by the help desk's admin"))
                    }
                    if noteUse { accessTokens.noteUse(grantID: principal.grantID) }
                    return .success(memo?.caller(for: principal) ?? Caller(principal))
                }
            }
            switch try authenticator.authenticate(token, tenantSlug: tenantSlug, on: db, generation: generation) {
            case .failure(.tenantSuspended): return .failure(.tenantSuspended)
            case .failure(let rejection): return .failure(.invalid(rejection.description))
            case .success(let principal):
                if noteUse { authenticator.noteUse(tokenID: principal.tokenID) }
                return .success(memo?.caller(for: principal) ?? Caller(principal))
            }
        } catch {
            return .failure(.unavailable)
        }
    }

    /// Whether a bearer still authenticates `userID` at `tenantSlug`: long-lived streams
    /// re-check their credential with it. Only a database fault throws.
    func stillAuthenticates(_ token: String, userID: Int64, tenantSlug: String, host: String? = nil,
                            on db: ReadHandle) throws -> Bool {
        switch caller(for: token, tenantSlug: tenantSlug, host: host, on: db, noteUse: false) {
        case .success(let caller): return caller.user.id == userID
        case .failure(.unavailable): throw CallerRejection.unavailable
        case .failure: return false
        }
    }
}
