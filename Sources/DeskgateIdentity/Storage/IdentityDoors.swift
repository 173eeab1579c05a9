import DeskgateStore
public import DeskgateJSON
public import DeskgateModel

/// The identity services as the servers call them: through `Storage` and `ReadHandle`, never
/// the store's own types. Each forwards to the service's store-facing form.
extension TenantGate {
    public func decide(_ slug: String, on reader: ReadHandle) throws -> TenantDecision {
        try decide(slug, on: reader.connection)
    }
}

extension TokenAuthenticator {
    public func authenticate(_ presented: String, tenantSlug: String, on reader: ReadHandle,
                             generation known: Int64? = nil) throws -> Result<TokenPrincipal, TokenRejection> {
        try authenticate(presented, tenantSlug: tenantSlug, on: reader.connection, generation: known)
    }

    public func flushUsage(storage: Storage) throws -> Int { try flushUsage(database: storage.database) }
}

extension JWTAccessTokenVerifier {
    public func authenticate(_ presented: String, tenantSlug: String, host: String? = nil, on reader: ReadHandle,
                             generation known: Int64? = nil) throws -> Result<OAuthPrincipal, AccessTokenRejection> {
        try authenticate(presented, tenantSlug: tenantSlug, host: host, on: reader.connection, generation: known)
    }

    public func flushUsage(storage: Storage) throws -> Int { try flushUsage(database: storage.database) }
}

extension ClientRegistry {
    public init(storage: Storage) { self.init(database: storage.database) }

    public func find(_ clientID: String, tenant: Tenant, on reader: ReadHandle) throws -> OAuthClient? {
        try find(clientID, tenant: tenant.scope, on: reader.connection)
    }

    public func register(_ request: ClientRegistration, tenant: Tenant,
                         kind: OAuthClientKind = .dcr) throws -> Result<RegisteredClient, OAuthFailure> {
        try register(request, tenant: tenant.scope, kind: kind)
    }

    public static func authenticate(_ credentials: Credentials, tenant: Tenant,
                                    on reader: ReadHandle) throws -> Result<OAuthClient, OAuthFailure> {
        try authenticate(credentials, tenant: tenant.scope, on: reader.connection)
    }
}

extension AuthorizationGrants {
    public init(storage: Storage, codeLifetimeSeconds: Int = 60) {
        self.init(database: storage.database, codeLifetimeSeconds: codeLifetimeSeconds)
    }

    public func approve(_ request: ApprovedRequest, userID: Int64, tenant: Tenant, address: String?,
                        approval: ApprovalPolicy? = nil) throws -> String {
        try approve(request, userID: userID, tenant: tenant.scope, address: address, approval: approval)
    }

    public func issueRemembered(_ request: ApprovedRequest, userID: Int64, tenant: Tenant) throws -> String? {
        try issueRemembered(request, userID: userID, tenant: tenant.scope)
    }
}

extension OAuthTokenService {
    public init(storage: Storage, signer: AccessTokenSigner, lifetimes: TokenLifetimes) {
        self.init(database: storage.database, signer: signer, lifetimes: lifetimes)
    }
}

extension BrowserSessions {
    public init(storage: Storage, lifetimeSeconds: Int = 12 * 3600) {
        self.init(database: storage.database, lifetimeSeconds: lifetimeSeconds)
    }

    public func current(cookie: String, tenant: Tenant, on reader: ReadHandle) throws -> SignedIn? {
        try current(cookie: cookie, tenant: tenant.scope, on: reader.connection)
    }

    public func signIn(email: String, password: String, tenant: Tenant, address: String?, userAgent: String?) throws -> SignIn {
        try signIn(email: email, password: password, tenant: tenant.scope, address: address, userAgent: userAgent)
    }

    public func signOut(_ session: SignedIn, tenant: Tenant, address: String?) throws {
        try signOut(session, tenant: tenant.scope, address: address)
    }
}

extension AuthorizedApps {
    public init(storage: Storage) { self.init(database: storage.database) }
}

extension PersonalAccessTokenService {
    public init(storage: Storage) { self.init(database: storage.database) }
}

extension SecurityLog {
    public init(storage: Storage, tenant: Tenant) { self.init(database: storage.database, scope: tenant.scope) }

    public func page(agentID: Int64?, kinds: [String], before: Int64?, limit: Int, on reader: ReadHandle) throws -> Page {
        try page(agentID: agentID, kinds: kinds, before: before, limit: limit, on: reader.connection)
    }
}

extension CredentialActivity {
    public init(storage: Storage, tenant: Tenant) { self.init(database: storage.database, scope: tenant.scope) }

    public func page(_ credential: Credential, before: Int64?, limit: Int, on reader: ReadHandle) throws -> Page {
        try page(credential, before: before, limit: limit, on: reader.connection)
    }
}

extension ClientRegistry {
    public func storeDocument(clientID: String, name: String, redirectURIs: [String], grantTypes: [String], scope: String?,
                              maxAgeSeconds: Int, tenant: Tenant) throws -> OAuthClient {
        try storeDocument(clientID: clientID, name: name, redirectURIs: redirectURIs, grantTypes: grantTypes, scope: scope,
                          maxAgeSeconds: maxAgeSeconds, tenant: tenant.scope)
    }
}

/// The published verification keys (active and retiring) as one JWK Set, for `/jwks.json`:
/// each row's own JWK text, parsed so the set is one document.
public enum PublishedKeySet {
    public static func jwks(on reader: ReadHandle) throws -> [JSONValue] {
        try SigningKeyStore().verificationKeys(on: reader.connection).compactMap { try? JSONParser.parse($0.publicJWKJSON) }
    }
}

extension SigningKeyService {
    public init(storage: Storage, directory: String) { self.init(database: storage.database, directory: directory) }
}

extension ClientRegistry {
    public func list(tenant: Tenant) throws -> [OAuthClient] { try list(tenant: tenant.scope) }

    public func delete(_ clientID: String, tenant: Tenant) throws { try delete(clientID, tenant: tenant.scope) }
}
