import DeskgateStore
public import DeskgateIdentity
public import DeskgateModel
import DeskgateSystem

extension TenantService {
    /// Saves the tenant's usage limits (the CLI's `tenant settings --rate …`, the admin MCP page),
    /// recorded as a `usage_limits_changed` security event under `who`. Every process sees the
    /// new limits on its next request: a settings change moves the revocation counter, which
    /// refreshes the cached tenant row the limiter reads.
    public func setUsageLimits(_ limits: UsageLimits, slug: String, by who: ActorRef = .operator) throws -> Tenant {
        for (key, value) in zip(UsageLimits.keys, limits.values) where !(0...UsageLimits.maximum).contains(value) {
            throw DeskError.invalid(field: key, reason: "takes 0 (no limit) to \(UsageLimits.grouped(UsageLimits.maximum))")
        }
        return try database.write { tx in
            let db = tx.connection
            guard let tenant = try TenantDirectory().bySlug(slug, on: db) else { throw DeskError.notFound("tenant '\(slug)'") }
            if case .agent(let adminID) = who { try AgentAdministration.requireAdmin(adminID, scope: tenant.scope, on: db) }
            let before = UsageLimits(settingsJSON: tenant.settingsJSON)
            guard try TenantDirectory().setSettings(limits.merged(into: tenant.settingsJSON), forSlug: slug, in: tx),
                  let updated = try TenantDirectory().bySlug(slug, on: db) else {
                throw DeskError.notFound("tenant '\(slug)'")
            }
            if before != limits {
                try SecurityEvent.record("usage_limits_changed", tenant: tenant.scope, actor: who.userID, subject: nil,
                                         detail: Array(zip(UsageLimits.keys, limits.values.map(String.init))), address: nil,
                                         at: WallClock.milliseconds(), in: tx)
            }
            return updated
        }
    }
}
