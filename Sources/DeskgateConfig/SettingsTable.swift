/// One configurable value: its key in the config file, its environment variable,
/// and how text becomes the typed field.
struct Setting: Sendable {
    let fileKey: String
    let environment: String?
    let apply: @Sendable (inout DeskgateConfiguration, String, String) throws -> Void
}

/// The whole configuration surface in one table (config/deskgate.example.json mirrors it).
enum SettingsTable {
    static let all: [Setting] = [
        text("database", "DESKGATE_DATABASE") { $0.databasePath = $1 },
        text("keys_dir", "DESKGATE_KEYS_DIR") { $0.keysDirectory = $1 },
        integer("checkpoint_interval_ms", "DESKGATE_CHECKPOINT_INTERVAL_MS", 0...60_000) { $0.checkpointIntervalMilliseconds = $1 },
        integer("read_budget_ms", "DESKGATE_READ_BUDGET_MS", 0...3_600_000) { $0.readBudgetMilliseconds = $1 },
        integer("read_pool_size", "DESKGATE_READ_POOL_SIZE", 0...1024) { $0.readPoolSize = $1 },
        integer("statistics_interval_ms", "DESKGATE_STATISTICS_INTERVAL_MS", 0...86_400_000) { $0.statisticsIntervalMilliseconds = $1 },
        text("auth.host", "DESKGATE_AUTH_HOST") { $0.auth.host = $1 },
        integer("auth.port", "DESKGATE_AUTH_PORT", 0...65535) { $0.auth.port = $1 },
        url("auth.public_url", "DESKGATE_AUTH_PUBLIC_URL") { $0.auth.configuredPublicURL = $1 },
        listen("auth.metrics_listen", "DESKGATE_AUTH_METRICS_LISTEN") { $0.auth.metricsListen = $1 },
        paths("auth.tls_cert", "DESKGATE_AUTH_TLS_CERT") { $0.auth.tlsCertificateFiles = $1 },
        paths("auth.tls_key", "DESKGATE_AUTH_TLS_KEY") { $0.auth.tlsKeyFiles = $1 },
        text("mcp.host", "DESKGATE_MCP_HOST") { $0.mcp.host = $1 },
        integer("mcp.port", "DESKGATE_MCP_PORT", 0...65535) { $0.mcp.port = $1 },
        url("mcp.public_url", "DESKGATE_MCP_PUBLIC_URL") { $0.mcp.configuredPublicURL = $1 },
        listen("mcp.metrics_listen", "DESKGATE_MCP_METRICS_LISTEN") { $0.mcp.metricsListen = $1 },
        paths("mcp.tls_cert", "DESKGATE_MCP_TLS_CERT") { $0.mcp.tlsCertificateFiles = $1 },
        paths("mcp.tls_key", "DESKGATE_MCP_TLS_KEY") { $0.mcp.tlsKeyFiles = $1 },
        origins("mcp.allowed_origins", "DESKGATE_MCP_ALLOWED_ORIGINS") { $0.mcp.allowedOrigins = $1 },
        integer("http.loops", "DESKGATE_HTTP_LOOPS", 0...256) { $0.http.loops = $1 },
        integer("http.workers", "DESKGATE_HTTP_WORKERS", 0...1024) { $0.http.workers = $1 },
        integer("http.reserved_workers", "DESKGATE_HTTP_RESERVED_WORKERS", 0...256) { $0.http.reservedWorkers = $1 },
        integer("http.max_body_bytes", "DESKGATE_MAX_BODY_BYTES", 1024...(64 << 20)) { $0.http.maxBodyBytes = $1 },
        seconds("http.header_timeout_seconds", "DESKGATE_HEADER_TIMEOUT") { $0.http.headerTimeoutSeconds = $1 },
        seconds("http.idle_timeout_seconds", "DESKGATE_IDLE_TIMEOUT") { $0.http.idleTimeoutSeconds = $1 },
        seconds("http.shutdown_grace_seconds", "DESKGATE_SHUTDOWN_GRACE") { $0.http.shutdownGraceSeconds = $1 },
        seconds("http.sse_keepalive_seconds", "DESKGATE_SSE_KEEPALIVE") { $0.http.sseKeepAliveSeconds = $1 },
        boolean("http.access_log", "DESKGATE_ACCESS_LOG") { $0.http.accessLog = $1 },
        integer("oauth.access_token_lifetime_seconds", "DESKGATE_ACCESS_TOKEN_LIFETIME", 60...86_400) {
            $0.oauth.accessTokenLifetimeSeconds = $1
        },
        integer("oauth.refresh_token_lifetime_seconds", "DESKGATE_REFRESH_TOKEN_LIFETIME", 60...(365 * 86_400)) {
            $0.oauth.refreshTokenLifetimeSeconds = $1
        },
        integer("oauth.refresh_reuse_grace_seconds", "DESKGATE_REFRESH_REUSE_GRACE", 0...60) {
            $0.oauth.refreshReuseGraceSeconds = $1
        },
        integer("oauth.authorization_code_lifetime_seconds", "DESKGATE_AUTHORIZATION_CODE_LIFETIME", 10...600) {
            $0.oauth.authorizationCodeLifetimeSeconds = $1
        },
        integer("oauth.registrations_per_address_per_hour", "DESKGATE_REGISTRATIONS_PER_ADDRESS", 1...100_000) {
            $0.oauth.registrationsPerAddressPerHour = $1
        },
        integer("oauth.registrations_per_tenant_per_hour", "DESKGATE_REGISTRATIONS_PER_TENANT", 1...1_000_000) {
            $0.oauth.registrationsPerTenantPerHour = $1
        },
        integer("oauth.client_idle_days", "DESKGATE_CLIENT_IDLE_DAYS", 1...3650) { $0.oauth.clientIdleDays = $1 },
        integer("oauth.login_failures_before_throttle", "DESKGATE_LOGIN_FAILURES", 1...1000) {
            $0.oauth.loginFailuresBeforeThrottle = $1
        },
        integer("oauth.login_throttle_seconds", "DESKGATE_LOGIN_THROTTLE", 1...86_400) { $0.oauth.loginThrottleSeconds = $1 },
        integer("oauth.session_lifetime_seconds", "DESKGATE_SESSION_LIFETIME", 300...(30 * 86_400)) {
            $0.oauth.sessionLifetimeSeconds = $1
        },
        boolean("dev_allow_http_client_metadata", "DESKGATE_DEV_ALLOW_HTTP_CLIENT_METADATA") { $0.clientMetadata.devAllowHTTP = $1 },
        text("client_metadata_ca_file", "DESKGATE_CLIENT_METADATA_CA_FILE") { $0.clientMetadata.caFile = $1 },
    ]

    static let byFileKey: [String: Setting] = Dictionary(uniqueKeysWithValues: all.map { ($0.fileKey, $0) })

    /// Flags every program takes, then the ones a server takes for its own section.
    static func fileKey(forFlag flag: String, program: Program) -> String? {
        switch flag {
        case "database": return "database"
        case "keys": return "keys_dir"
        case "max-body": return "http.max_body_bytes"
        case "loops": return "http.loops"
        case "workers": return "http.workers"
        case "header-timeout": return "http.header_timeout_seconds"
        case "idle-timeout": return "http.idle_timeout_seconds"
        case "access-log": return "http.access_log"
        default: break
        }
        let section: String
        switch program {
        case .auth: section = "auth"
        case .mcp: section = "mcp"
        case .cli: return nil
        }
        switch flag {
        case "host": return "\(section).host"
        case "port": return "\(section).port"
        case "public-url": return "\(section).public_url"
        case "metrics-listen": return "\(section).metrics_listen"
        case "tls-cert": return "\(section).tls_cert"
        case "tls-key": return "\(section).tls_key"
        default: return nil
        }
    }

    // MARK: Setting builders

    private static func text(_ key: String, _ environment: String,
                             _ set: @escaping @Sendable (inout DeskgateConfiguration, String) -> Void) -> Setting {
        Setting(fileKey: key, environment: environment) { configuration, value, source in
            guard !value.isEmpty else { throw ConfigurationError("\(source) must not be empty") }
            set(&configuration, value)
        }
    }

    private static func integer(_ key: String, _ environment: String, _ range: ClosedRange<Int>,
                                _ set: @escaping @Sendable (inout DeskgateConfiguration, Int) -> Void) -> Setting {
        Setting(fileKey: key, environment: environment) { configuration, value, source in
            guard let number = Int(value), range.contains(number) else {
                throw ConfigurationError("\(source) must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(value)'")
            }
            set(&configuration, number)
        }
    }

    private static func seconds(_ key: String, _ environment: String,
                                _ set: @escaping @Sendable (inout DeskgateConfiguration, Double) -> Void) -> Setting {
        Setting(fileKey: key, environment: environment) { configuration, value, source in
            guard let number = Double(value), number > 0, number <= 86_400 else {
                throw ConfigurationError("\(source) must be a number of seconds in (0, 86400], got '\(value)'")
            }
            set(&configuration, number)
        }
    }

    private static func boolean(_ key: String, _ environment: String,
                                _ set: @escaping @Sendable (inout DeskgateConfiguration, Bool) -> Void) -> Setting {
        Setting(fileKey: key, environment: environment) { configuration, value, source in
            switch value.lowercased() {
            case "true", "1", "on", "yes": set(&configuration, true)
            case "false", "0", "off", "no": set(&configuration, false)
            default: throw ConfigurationError("\(source) must be true or false, got '\(value)'")
            }
        }
    }

    /// A comma-separated list of origins (`https://host[:port]`, no path).
    private static func origins(_ key: String, _ environment: String,
                                _ set: @escaping @Sendable (inout DeskgateConfiguration, [String]) -> Void) -> Setting {
        Setting(fileKey: key, environment: environment) { configuration, value, source in
            let list = value.split(separator: ",").map { String($0).trimmingCharacters() }.filter { !$0.isEmpty }
            for origin in list {
                let lower = origin.lowercased()
                let afterScheme = lower.drop { $0 != "/" }.dropFirst(2)
                guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), !afterScheme.contains("/") || afterScheme.hasSuffix("/") else {
                    throw ConfigurationError("\(source) must list origins like https://app.example.com, got '\(origin)'")
                }
            }
            set(&configuration, list)
        }
    }

    /// A comma-separated list of file paths (TLS certificates and keys, given in pairs).
    private static func paths(_ key: String, _ environment: String,
                              _ set: @escaping @Sendable (inout DeskgateConfiguration, [String]) -> Void) -> Setting {
        Setting(fileKey: key, environment: environment) { configuration, value, source in
            let list = value.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters() }
            guard !list.isEmpty, !list.contains(where: \.isEmpty) else {
                throw ConfigurationError("\(source) must be a file path, or several separated by commas, got '\(value)'")
            }
            set(&configuration, list)
        }
    }

    private static func listen(_ key: String, _ environment: String,
                               _ set: @escaping @Sendable (inout DeskgateConfiguration, ListenAddress) -> Void) -> Setting {
        Setting(fileKey: key, environment: environment) { configuration, value, source in
            guard let address = ListenAddress(value) else {
                throw ConfigurationError("\(source) must be HOST:PORT (an IPv6 host in brackets), got '\(value)'")
            }
            set(&configuration, address)
        }
    }

    private static func url(_ key: String, _ environment: String,
                            _ set: @escaping @Sendable (inout DeskgateConfiguration, String) -> Void) -> Setting {
        Setting(fileKey: key, environment: environment) { configuration, value, source in
            let lower = value.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), !value.contains("?"), !value.contains("#") else {
                throw ConfigurationError("\(source) must be an http(s) URL without query or fragment, got '\(value)'")
            }
            set(&configuration, value)
        }
    }
}

extension String {
    func trimmingCharacters() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
