import DeskgateDesk
import DeskgateModel
import Synchronization

/// A tenant's MCP settings and usage limits as parsed, kept per tenant until its `settings_json`
/// changes: the one cache of parsed settings in deskgate-mcp (the usage meter asks it too).
///
/// Every tools/call needs the exposure (twice) and every JWT call the app allow-list; parsing
/// the settings each time cost about 11k instructions a call once a tenant had any setting
/// (for instance raised limits). The lookup compares the stored text with the tenant's, which
/// for a cached principal is the same string storage: a pointer comparison.
final class TenantSettingsCache: Sendable {
    private struct Entry {
        let json: String
        let settings: MCPSettings
        let exposure: ToolExposure
        let limits: UsageLimits
    }

    private let entries = Mutex<[Int64: Entry]>([:])

    func exposure(for tenant: Tenant) -> ToolExposure { entry(tenant).exposure }

    func settings(for tenant: Tenant) -> MCPSettings { entry(tenant).settings }

    /// Untouched settings are the defaults without a lock: most tenants, on every request.
    func limits(for tenant: Tenant) -> UsageLimits {
        tenant.settingsJSON == "{}" ? .defaults : entry(tenant).limits
    }

    private func entry(_ tenant: Tenant) -> Entry {
        if let hit = entries.withLock({ $0[tenant.id] }), hit.json == tenant.settingsJSON { return hit }
        let settings = MCPSettings(settingsJSON: tenant.settingsJSON)
        let made = Entry(json: tenant.settingsJSON, settings: settings, exposure: ToolExposure(settings),
                         limits: UsageLimits(settingsJSON: tenant.settingsJSON))
        entries.withLock { $0[tenant.id] = made }
        return made
    }
}
