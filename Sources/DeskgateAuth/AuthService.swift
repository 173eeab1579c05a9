import DeskgateConfig
import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateModel

/// Process-wide state of the authorization server, shared by every event loop and worker.
final class AuthService: Sendable {
    let storage: Storage
    let configuration: DeskgateConfiguration
    let registry: ClientRegistry
    let grants: AuthorizationGrants
    let tokens: OAuthTokenService
    let sessions: BrowserSessions
    /// Pending consent, flashes and limits live in the database: every deskgate-auth process
    /// of the deployment sees the same (`docs/scale-out.md`).
    let pending: any PendingAuthorizationStore
    let flashes: FlashStore
    let registrations: SharedWindowCounter
    let loginFailures: SharedWindowCounter
    /// The tenants' issuers and resources: what metadata says, tokens carry and the MCP server checks.
    let urls: TenantURLs
    /// Nil until the metadata-document fetcher is wired in: URL client ids are then unknown clients.
    let metadataSource: (any ClientMetadataSource)?

    init(storage: Storage, configuration: DeskgateConfiguration, metadataSource: (any ClientMetadataSource)? = nil) {
        self.storage = storage
        self.configuration = configuration
        self.metadataSource = metadataSource
        let oauth = configuration.oauth
        registry = ClientRegistry(storage: storage)
        grants = AuthorizationGrants(storage: storage, codeLifetimeSeconds: oauth.authorizationCodeLifetimeSeconds)
        let signer = AccessTokenSigner(keyFile: configuration.keysDirectory + "/" + SigningKeyService.activeKeyFile)
        tokens = OAuthTokenService(storage: storage, signer: signer,
                                   lifetimes: TokenLifetimes(accessSeconds: oauth.accessTokenLifetimeSeconds,
                                                             refreshSeconds: oauth.refreshTokenLifetimeSeconds,
                                                             reuseGraceSeconds: oauth.refreshReuseGraceSeconds))
        sessions = BrowserSessions(storage: storage, lifetimeSeconds: oauth.sessionLifetimeSeconds)
        loginFailures = SharedWindowCounter("login failures", storage: storage, windowSeconds: oauth.loginThrottleSeconds)
        registrations = SharedWindowCounter("client registrations", storage: storage, windowSeconds: 3600)
        pending = DatabasePendingAuthorizations(storage: storage)
        flashes = FlashStore(storage: storage)
        urls = TenantURLs(authBase: configuration.auth.publicURL, mcpBase: configuration.mcp.publicURL)
    }

    var publicURL: String { configuration.auth.publicURL }
    var secureCookies: Bool { publicURL.lowercased().hasPrefix("https://") }

    /// `host`: the tenant's own host name the request came in on (nil: path URLs).
    func context(_ tenant: Tenant, host: String? = nil) -> IssuerContext {
        IssuerContext(tenant: tenant, issuer: urls.issuer(tenant.slug, host: host), resource: urls.resource(tenant.slug, host: host))
    }

    func cookies(_ slug: String, host: String? = nil) -> CookieJar {
        CookieJar(slug: slug, secure: secureCookies, onTenantHost: host != nil)
    }

    /// The signed-in browser of this request, if any.
    func signedIn(_ request: Request, tenant: Tenant, on db: ReadHandle) throws -> SignedIn? {
        guard let cookie = CookieHeader.value(cookies(tenant.slug).sessionName, in: request.headers) else { return nil }
        return try sessions.current(cookie: cookie, tenant: tenant, on: db)
    }
}
