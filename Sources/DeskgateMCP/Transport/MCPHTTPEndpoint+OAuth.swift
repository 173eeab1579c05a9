import DeskgateDesk
import DeskgateHTTP
import DeskgateStore

extension MCPHTTPEndpoint {
    /// The OAuth half of `authenticate`: a bearer shaped like a JWT is an access token from
    /// deskgate-auth. Every refusal, a suspended tenant included, is a 401 `invalid_token`
    /// with the challenge that sends the client back to the authorization server.
    func authenticateAccessToken(_ token: String, slug: String) -> Result<Caller, ResponseFailure> {
        let verdict: Result<OAuthPrincipal, AccessTokenRejection>
        do {
            verdict = try service.accessTokens.authenticate(token, tenantSlug: slug, on: reader)
        } catch {
            // A database fault is ours, not the client's: do not tell it its token is bad.
            return .failure(ResponseFailure(.json(#"{"error":"temporarily_unavailable"}"#, status: .serviceUnavailable,
                                                  headers: HTTPHeaders([("Retry-After", "1")]))))
        }
        switch verdict {
        case .failure(let rejection):
            let challenges = Challenges(resourceMetadataURL: service.metadataURL(slug), allScopes: MCPService.allScopeList)
            return .failure(ResponseFailure(challenges.unauthorized(presented: true, description: rejection.description)))
        case .success(let principal):
            service.accessTokens.noteUse(grantID: principal.grantID)
            return .success(Caller(tenant: principal.tenant, user: principal.user, tokenID: nil,
                                   clientID: principal.clientID, scopes: Set(principal.scopes.map(\.rawValue)),
                                   departmentIDs: principal.departmentIDs))
        }
    }
}

extension MCPService {
    /// Whether a bearer (PAT or JWT access token) still authenticates `userID` at `tenantSlug`:
    /// long-lived streams re-check their credential with it. Only a database fault throws.
    func stillAuthenticates(_ token: String, userID: Int64, tenantSlug: String, on db: SQLiteConnection) throws -> Bool {
        if JWTAccessTokenVerifier.looksLikeJWT(token) {
            guard case .success(let principal) = try accessTokens.authenticate(token, tenantSlug: tenantSlug, on: db)
            else { return false }
            return principal.user.id == userID
        }
        guard case .success(let principal) = try authenticator.authenticate(token, tenantSlug: tenantSlug, on: db)
        else { return false }
        return principal.user.id == userID
    }
}
