public import DeskgateSQL
import DeskgateCrypto
import DeskgateJSON
public import DeskgateStore
public import DeskgateModel
public import DeskgateSystem

/// A client as registration returns it: the secret appears here once and is never stored.
public struct RegisteredClient: Sendable {
    public let client: OAuthClient
    public let secret: String?
    /// True when an identical earlier public registration was returned instead of a new one.
    public let reused: Bool
}

/// The tenant's OAuth clients: dynamic registration, operator-created clients, client
/// authentication at the token endpoint, and purging clients nobody uses.
public struct ClientRegistry: Sendable {
    let database: Database
    let clock: @Sendable () -> Int64

    public init(database: Database, clock: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() }) {
        self.database = database
        self.clock = clock
    }

    /// RFC 7591 registration. A public client registering exactly what it registered before gets
    /// that client back; confidential clients always get a new one (their secret is shown once).
    public func register(_ request: ClientRegistration, tenant: TenantScope,
                         kind: OAuthClientKind = .dcr) throws -> Result<RegisteredClient, OAuthFailure> {
        let validated: ClientRegistration.Validated
        switch request.validated() {
        case .failure(let failure): return .failure(failure)
        case .success(let value): validated = value
        }
        let secret = validated.tokenEndpointAuthMethod == "none" ? nil : "dgcs_" + SecureRandom.base64URL(byteCount: 32)
        let prefix = kind == .preregistered ? "dgp_" : "dgc_"
        let draft = NewOAuthClient(clientID: prefix + SecureRandom.base64URL(byteCount: 16), kind: kind, name: validated.name,
                                   redirectURIs: validated.redirectURIs, grantTypes: validated.grantTypes,
                                   tokenEndpointAuthMethod: validated.tokenEndpointAuthMethod,
                                   secretHash: secret.map { SHA256.hash($0) }, applicationType: validated.applicationType,
                                   metadataJSON: validated.metadataJSON)
        let now = clock()
        let result = try database.write { tx -> RegisteredClient in
            if secret == nil, kind == .dcr,
               let existing = try tenant.oauthClients.publicRegistration(metadataJSON: validated.metadataJSON, on: tx.connection) {
                return RegisteredClient(client: existing, secret: nil, reused: true)
            }
            return RegisteredClient(client: try tenant.oauthClients.create(draft, at: now, in: tx), secret: secret, reused: false)
        }
        return .success(result)
    }

    public func find(_ clientID: String, tenant: TenantScope, on db: any SQLConnection) throws -> OAuthClient? {
        try tenant.oauthClients.byClientID(clientID, on: db)
    }

    public func list(tenant: TenantScope) throws -> [OAuthClient] {
        try database.withReader { try tenant.oauthClients.list(on: $0) }
    }

    /// Deletes the client and its grants (tokens stop working at once).
    public func delete(_ clientID: String, tenant: TenantScope) throws {
        let deleted = try database.write { tx in try tenant.oauthClients.delete(clientID: clientID, in: tx) }
        if !deleted { throw DeskError.notFound("client '\(clientID)'") }
    }

    /// Caches a validated Client ID Metadata Document as the client row for its URL.
    public func storeDocument(clientID: String, name: String, redirectURIs: [String], grantTypes: [String], scope: String?,
                              maxAgeSeconds: Int, tenant: TenantScope) throws -> OAuthClient {
        let now = clock()
        var document: JSONObject = ["client_id": .string(clientID)]
        if let scope { document["scope"] = .string(Scopes(known: scope).text) }
        let metadata = JSONValue.object(document).text
        let draft = NewOAuthClient(clientID: clientID, kind: .cimd, name: name, redirectURIs: redirectURIs,
                                   grantTypes: grantTypes.isEmpty ? ["authorization_code"] : grantTypes,
                                   tokenEndpointAuthMethod: "none", secretHash: nil, applicationType: .native,
                                   metadataJSON: metadata, metadataExpiresAt: now + Int64(maxAgeSeconds) * 1000)
        return try database.write { tx in try tenant.oauthClients.upsertDocument(draft, at: now, in: tx) }
    }

    /// Deletes registered and document clients unused for `idleDays` (with their grants) in every tenant.
    /// Pre-registered clients are the operator's and stay. Returns how many were removed.
    @discardableResult
    public func purgeIdle(idleDays: Int, tenant slug: String? = nil) throws -> Int {
        let cutoff = clock() - Int64(idleDays) * 86_400_000
        return try database.write { tx in
            let tenants = try TenantDirectory().list(on: tx.connection).filter { slug == nil || $0.slug == slug }
            var removed = 0
            for tenant in tenants {
                for client in try tenant.scope.oauthClients.idle(before: cutoff, on: tx.connection) {
                    if try tenant.scope.oauthClients.delete(clientID: client.clientID, in: tx) { removed += 1 }
                }
            }
            return removed
        }
    }

    /// Deletes authorization codes, refresh tokens and browser sessions that ended more than a day
    /// ago, in every tenant, and the shared state of the processes that no one can use any more (the purge thread and `deskgate client purge` call it). Returns how
    /// many rows went.
    @discardableResult
    public func sweepEnded() throws -> Int {
        let cutoff = clock() - 86_400_000
        return try database.write { tx in
            var removed = 0
            for tenant in try TenantDirectory().list(on: tx.connection) {
                removed += try tenant.scope.oauthGrants.deleteCodes(expiredBefore: cutoff, in: tx)
                removed += try tenant.scope.oauthGrants.deleteRefreshTokens(endedBefore: cutoff, in: tx)
                removed += try tenant.scope.loginSessions.deleteEnded(before: cutoff, in: tx)
            }
            // The processes' shared short-lived state: consent, flashes and limit windows live
            // minutes to an hour; an ended MCP session matters until its id is too old anyway.
            removed += try DeploymentState().sweep(before: cutoff, windowsBefore: cutoff,
                                                   sessionEndsBefore: clock() - MCPSessions.lifetimeMilliseconds, in: tx)
            return removed
        }
    }

    /// How the client proved who it is at the token, revocation or introspection endpoint.
    public struct Credentials: Sendable, Equatable {
        public var clientID: String
        public var secret: String?
        /// `client_secret_basic` when the secret came in the Authorization header.
        public var usedBasic: Bool

        public init(clientID: String, secret: String?, usedBasic: Bool) {
            self.clientID = clientID
            self.secret = secret
            self.usedBasic = usedBasic
        }
    }

    /// The client, when the credentials fit how it registered: public clients send only their
    /// id, confidential ones the secret (compared as SHA-256 digests in constant time).
    public static func authenticate(_ credentials: Credentials, tenant: TenantScope,
                                    on db: any SQLConnection) throws -> Result<OAuthClient, OAuthFailure> {
        let refused = OAuthFailure.invalidClient("client authentication failed")
        guard let client = try tenant.oauthClients.byClientID(credentials.clientID, on: db) else { return .failure(refused) }
        if !client.isConfidential {
            return credentials.secret == nil ? .success(client) : .failure(refused)
        }
        guard let secret = credentials.secret, let stored = try tenant.oauthClients.secretHash(clientID: client.clientID, on: db),
              ConstantTime.equals(SHA256.hash(secret), stored) else { return .failure(refused) }
        return .success(client)
    }
}
