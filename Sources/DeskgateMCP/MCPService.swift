import DeskgateConfig
import DeskgateDesk
import DeskgateJSON
import DeskgateStore

/// Process-wide state of the MCP server, shared by every event loop.
final class MCPService: Sendable {
    let database: Database
    let configuration: DeskgateConfiguration
    let tools: ToolRegistry
    let sessions = SessionStore()
    let legacySessions = LegacySessions()
    let cancellations = Cancellations()
    let authenticator: TokenAuthenticator
    /// OAuth access tokens (JWTs from deskgate-auth), next to the PATs above.
    let accessTokens: JWTAccessTokenVerifier
    let origins: OriginPolicy
    let toolsPageSize = 50
    /// Keys and fixed values of MCP requests, for the request parser (`RequestStrings`).
    let requestStrings: JSONKnownStrings

    init(database: Database, configuration: DeskgateConfiguration, tools: ToolRegistry) {
        self.database = database
        self.configuration = configuration
        self.tools = tools
        requestStrings = RequestStrings.table(tools: tools)
        authenticator = TokenAuthenticator()
        let auth = configuration.auth.publicURL, mcp = configuration.mcp.publicURL
        accessTokens = JWTAccessTokenVerifier(issuer: { Self.issuer($0, base: auth) },
                                              resource: { Self.resourceURL($0, base: mcp) })
        origins = OriginPolicy(configured: configuration.mcp.allowedOrigins,
                               publicURLs: [configuration.mcp.publicURL, configuration.auth.publicURL])
    }

    /// The resource identifier clients are given, and the audience of OAuth tokens for it.
    func resourceURL(_ slug: String) -> String { Self.resourceURL(slug, base: configuration.mcp.publicURL) }
    static func resourceURL(_ slug: String, base: String) -> String { "\(base)/t/\(slug)/mcp" }

    /// RFC 9728 path-inserted metadata URL for the resource.
    func metadataURL(_ slug: String) -> String {
        "\(configuration.mcp.publicURL)/.well-known/oauth-protected-resource/t/\(slug)/mcp"
    }

    /// The tenant's issuer on the authorization server.
    func issuer(_ slug: String) -> String { Self.issuer(slug, base: configuration.auth.publicURL) }
    static func issuer(_ slug: String, base: String) -> String { "\(base)/t/\(slug)" }

    /// Which tools the tenant exposes over MCP (`settings_json.mcp`, see `MCPSettings`). The
    /// common case, untouched settings, is a string comparison and no parse: this runs on every
    /// tools/list and tools/call.
    func exposure(for tenant: Tenant) -> ToolExposure {
        tenant.settingsJSON == "{}" ? .everything : ToolExposure(MCPSettings(settingsJSON: tenant.settingsJSON))
    }

    static let allScopes = ["tickets:read", "tickets:write", "directory:read"]
    static let allScopeList = allScopes.joined(separator: " ")
}
