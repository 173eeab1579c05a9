/// Every setting the three programs read, after defaults, the config file,
/// `DESKGATE_*` environment variables and flags have been applied, in that order.
public struct DeskgateConfiguration: Sendable, Equatable {
    public var databasePath = "var/deskgate.sqlite"
    public var keysDirectory = "keys"
    /// How often the servers copy SQLite's write-ahead log back into the database, on a thread
    /// of their own instead of inside a commit; 0 leaves it to SQLite's automatic checkpoints.
    public var checkpointIntervalMilliseconds = 250
    /// Every read statement of the servers stops after this long with a clear error (a tool
    /// error on MCP, 503 with the reason on HTTP), so no query can hold a thread for longer.
    public var readBudgetMilliseconds = 2_000
    /// Pooled read connections; 0 sizes the pool from the machine (enough for every worker
    /// thread of both lanes, at least two per core).
    public var readPoolSize = 0
    /// SQLite: the servers refresh the query planner's statistics at start and then this often
    /// (0: never); bulk commands refresh them when they finish.
    public var statisticsIntervalMilliseconds = 3_600_000
    public var auth = ServerSettings(host: "127.0.0.1", port: 8001)
    public var mcp = ServerSettings(host: "127.0.0.1", port: 8002)
    public var http = HTTPSettings()
    public var oauth = OAuthSettings()
    public var clientMetadata = ClientMetadataSettings()

    public init() {}
}

/// Lifetimes and limits of the authorization server (deskgate-auth).
public struct OAuthSettings: Sendable, Equatable {
    /// `exp - iat` of access tokens.
    public var accessTokenLifetimeSeconds = 3600
    /// How long an unused refresh token stays redeemable.
    public var refreshTokenLifetimeSeconds = 30 * 86_400
    /// After a refresh token rotated, a second refresh of the same token within this many
    /// seconds also succeeds (processes of one client sharing a token); later it revokes the grant.
    public var refreshReuseGraceSeconds = 10
    /// Authorization codes die this soon after they are issued.
    public var authorizationCodeLifetimeSeconds = 60
    /// Dynamic registrations accepted per client address and per tenant, each per hour.
    public var registrationsPerAddressPerHour = 20
    public var registrationsPerTenantPerHour = 500
    /// Registered (and metadata-document) clients not used for this many days are purged with their grants.
    public var clientIdleDays = 30
    /// Failed logins (per account and per address) before further attempts are refused for a while.
    public var loginFailuresBeforeThrottle = 5
    public var loginThrottleSeconds = 900
    /// Browser sessions on the login pages.
    public var sessionLifetimeSeconds = 12 * 3600

    public init() {}
}

/// How the authorization server fetches client ID metadata documents (client_ids that are URLs).
public struct ClientMetadataSettings: Sendable, Equatable {
    /// DEVELOPMENT ONLY: accept plain-http documents on loopback (http://127.0.0.1:PORT/...,
    /// http://localhost:PORT/...), for tests that cannot present a public https URL.
    public var devAllowHTTP = false
    /// PEM trust anchors used instead of the system store when verifying document servers.
    public var caFile: String?

    public init() {}
}

/// Where one server listens and the URL the outside world reaches it by.
public struct ServerSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// Set when the server sits behind a proxy (TLS termination, another host name).
    public var configuredPublicURL: String?
    /// Browser origins allowed to call this server (besides its own and loopback origins).
    public var allowedOrigins: [String] = []
    /// Where `/metrics` gets a listener of its own (and leaves the main port); nil: on the main port.
    public var metricsListen: ListenAddress?
    /// Serve HTTPS with these certificate chain files and their keys (PEM), paired in order; the
    /// first pair is the default certificate, the others are chosen by SNI. Empty: plain HTTP.
    public var tlsCertificateFiles: [String] = []
    public var tlsKeyFiles: [String] = []

    public var tlsEnabled: Bool { !tlsCertificateFiles.isEmpty }

    public init(host: String, port: Int, publicURL: String? = nil) {
        self.host = host
        self.port = port
        self.configuredPublicURL = publicURL
    }

    /// The base that issuers, audiences and metadata URLs are built from (no trailing slash).
    public var publicURL: String {
        if let configured = configuredPublicURL, !configured.isEmpty {
            return configured.hasSuffix("/") ? String(configured.dropLast()) : configured
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(tlsEnabled ? "https" : "http")://\(shownHost):\(port)"
    }
}

/// Limits and sizing of the HTTP core, shared by both servers.
public struct HTTPSettings: Sendable, Equatable {
    /// Event loops; 0 means one per core.
    public var loops = 0
    /// Worker threads for blocking or CPU-heavy work; 0 means one per core.
    public var workers = 0
    /// Worker threads kept for writes and health checks, which reads never occupy; 0 means
    /// half the cores, at least two.
    public var reservedWorkers = 0
    public var maxBodyBytes = 1 << 20
    public var headerTimeoutSeconds: Double = 10
    public var idleTimeoutSeconds: Double = 60
    public var shutdownGraceSeconds: Double = 10
    /// Open event streams get a comment this often, so proxies keep them, and their credential
    /// is checked again (a revoked token's stream is closed).
    public var sseKeepAliveSeconds: Double = 15
    public var accessLog = true

    public init() {}
}

extension DeskgateConfiguration {
    /// The resolved settings as `DESKGATE_*` variables, so child processes (`deskgate up`)
    /// run with exactly what the parent resolved from its own file, environment and flags.
    public var environment: [String: String] {
        var variables = [
            "DESKGATE_DATABASE": databasePath,
            "DESKGATE_KEYS_DIR": keysDirectory,
            "DESKGATE_CHECKPOINT_INTERVAL_MS": String(checkpointIntervalMilliseconds),
            "DESKGATE_AUTH_HOST": auth.host,
            "DESKGATE_AUTH_PORT": String(auth.port),
            "DESKGATE_MCP_HOST": mcp.host,
            "DESKGATE_MCP_PORT": String(mcp.port),
            "DESKGATE_HTTP_LOOPS": String(http.loops),
            "DESKGATE_HTTP_WORKERS": String(http.workers),
            "DESKGATE_HTTP_RESERVED_WORKERS": String(http.reservedWorkers),
            "DESKGATE_READ_BUDGET_MS": String(readBudgetMilliseconds),
            "DESKGATE_READ_POOL_SIZE": String(readPoolSize),
            "DESKGATE_STATISTICS_INTERVAL_MS": String(statisticsIntervalMilliseconds),
            "DESKGATE_MAX_BODY_BYTES": String(http.maxBodyBytes),
            "DESKGATE_HEADER_TIMEOUT": String(http.headerTimeoutSeconds),
            "DESKGATE_IDLE_TIMEOUT": String(http.idleTimeoutSeconds),
            "DESKGATE_SHUTDOWN_GRACE": String(http.shutdownGraceSeconds),
            "DESKGATE_SSE_KEEPALIVE": String(http.sseKeepAliveSeconds),
            "DESKGATE_ACCESS_LOG": http.accessLog ? "true" : "false",
        ]
        variables["DESKGATE_ACCESS_TOKEN_LIFETIME"] = String(oauth.accessTokenLifetimeSeconds)
        variables["DESKGATE_REFRESH_TOKEN_LIFETIME"] = String(oauth.refreshTokenLifetimeSeconds)
        variables["DESKGATE_REFRESH_REUSE_GRACE"] = String(oauth.refreshReuseGraceSeconds)
        variables["DESKGATE_AUTHORIZATION_CODE_LIFETIME"] = String(oauth.authorizationCodeLifetimeSeconds)
        variables["DESKGATE_REGISTRATIONS_PER_ADDRESS"] = String(oauth.registrationsPerAddressPerHour)
        variables["DESKGATE_REGISTRATIONS_PER_TENANT"] = String(oauth.registrationsPerTenantPerHour)
        variables["DESKGATE_CLIENT_IDLE_DAYS"] = String(oauth.clientIdleDays)
        variables["DESKGATE_LOGIN_FAILURES"] = String(oauth.loginFailuresBeforeThrottle)
        variables["DESKGATE_LOGIN_THROTTLE"] = String(oauth.loginThrottleSeconds)
        variables["DESKGATE_SESSION_LIFETIME"] = String(oauth.sessionLifetimeSeconds)
        if clientMetadata.devAllowHTTP { variables["DESKGATE_DEV_ALLOW_HTTP_CLIENT_METADATA"] = "true" }
        if let file = clientMetadata.caFile { variables["DESKGATE_CLIENT_METADATA_CA_FILE"] = file }
        if let url = auth.configuredPublicURL { variables["DESKGATE_AUTH_PUBLIC_URL"] = url }
        if let url = mcp.configuredPublicURL { variables["DESKGATE_MCP_PUBLIC_URL"] = url }
        if let address = auth.metricsListen { variables["DESKGATE_AUTH_METRICS_LISTEN"] = address.description }
        if let address = mcp.metricsListen { variables["DESKGATE_MCP_METRICS_LISTEN"] = address.description }
        if auth.tlsEnabled {
            variables["DESKGATE_AUTH_TLS_CERT"] = auth.tlsCertificateFiles.joined(separator: ",")
            variables["DESKGATE_AUTH_TLS_KEY"] = auth.tlsKeyFiles.joined(separator: ",")
        }
        if mcp.tlsEnabled {
            variables["DESKGATE_MCP_TLS_CERT"] = mcp.tlsCertificateFiles.joined(separator: ",")
            variables["DESKGATE_MCP_TLS_KEY"] = mcp.tlsKeyFiles.joined(separator: ",")
        }
        if !mcp.allowedOrigins.isEmpty { variables["DESKGATE_MCP_ALLOWED_ORIGINS"] = mcp.allowedOrigins.joined(separator: ",") }
        return variables
    }
}
