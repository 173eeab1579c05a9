import DeskgateConfig
import DeskgateDesk
import DeskgateIdentity
import DeskgateJSON
import DeskgateModel

/// Process-wide state of the MCP server, shared by every event loop.
final class MCPService: Sendable {
    let storage: Storage
    let configuration: DeskgateConfiguration
    let tools: ToolRegistry
    /// Handshake-era sessions, accepted by every process of the deployment.
    let sessions: MCPSessions
    let legacySessions: LegacySessions
    let cancellations = Cancellations()
    let authenticator: TokenAuthenticator
    /// OAuth access tokens (JWTs from deskgate-auth), next to the PATs above.
    let accessTokens: JWTAccessTokenVerifier
    let origins: OriginPolicy
    /// The tenants' resources and issuers, built as deskgate-auth builds them.
    let urls: TenantURLs
    let toolsPageSize = 50
    /// Keys and fixed values of MCP requests, for the request parser (`RequestStrings`).
    let requestStrings: JSONKnownStrings
    /// Writes that wait for a person: the service, and the sealed `requestState` of 2026-07-28.
    let approvals: ApprovalService
    let approvalStates: ApprovalRequestState
    /// Request rates and write quotas (issue 19): counted here, synced with the other processes.
    let usage: UsageMeter
    /// Each tenant's parsed MCP settings and limits, until they change.
    let tenantSettings: TenantSettingsCache
    /// Every tools/call's audit row (issue 19, docs/audit.md): buffered, flushed every second.
    let audit = AuditTrail()
    /// This process in the audit log's `process` column.
    let processName = AuditProcess.name(program: "deskgate-mcp")
    let metrics: MCPMetrics

    init(storage: Storage, configuration: DeskgateConfiguration, tools: ToolRegistry) throws {
        self.storage = storage
        let tenantSettings = TenantSettingsCache()
        self.tenantSettings = tenantSettings
        self.usage = UsageMeter(limits: { tenantSettings.limits(for: $0) })
        let sessions = try MCPSessions(storage: storage)
        self.sessions = sessions
        legacySessions = LegacySessions(mac: { sessions.mac("legacy-sse\n" + $0) })
        self.configuration = configuration
        self.tools = tools
        metrics = MCPMetrics(toolNames: tools.tools.map(\.name))
        requestStrings = RequestStrings.table(tools: tools)
        approvals = ApprovalService(storage: storage)
        approvalStates = try ApprovalRequestState(storage: storage)
        authenticator = TokenAuthenticator()
        urls = TenantURLs(authBase: configuration.auth.publicURL, mcpBase: configuration.mcp.publicURL)
        accessTokens = JWTAccessTokenVerifier(urls: urls)
        origins = OriginPolicy(configured: configuration.mcp.allowedOrigins,
                               publicURLs: [configuration.mcp.publicURL, configuration.auth.publicURL])
        metrics.registerCaches(of: self)
    }

    /// Which tools the tenant exposes over MCP (`settings_json.mcp`, see `MCPSettings`). The
    /// common case, untouched settings, is a string comparison and no parse: this runs on every
    /// tools/list and tools/call.
    func exposure(for tenant: Tenant) -> ToolExposure {
        tenant.settingsJSON == "{}" ? .everything : tenantSettings.exposure(for: tenant)
    }
}
