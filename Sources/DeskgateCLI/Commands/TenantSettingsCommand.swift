import DeskgateIdentity
import DeskgateDesk
import DeskgateModel

/// `deskgate tenant settings SLUG [...]`: shows a tenant's MCP settings and changes the ones
/// given. The same `MCPSettings` and `TenantService.setMCPSettings` as the admin page, so the
/// same validation and the same security-log event (under the operator).
enum TenantSettingsCommand {
    static let options: Set<String> = ["tool-families", "read-only", "access-token-argument",
                          "limit-departments", "limit-tags", "limit-writes", "deny-tools", "allow-apps", "approval",
                          "rate", "tenant-rate", "write-quota", "tenant-write-quota", "audit-retention-days"]
    /// The usage limit options, in `UsageLimits.keys` order.
    static let limitOptions = ["rate", "tenant-rate", "write-quota", "tenant-write-quota"]

    static func run(_ parsed: Arguments, _ context: CommandContext) throws {
        let slug = try parsed.positionals("SLUG")[0]
        let families = try parsed.value("tool-families").map { text -> Set<String> in
            let names = Set(list(text).map { $0.filter { !$0.isWhitespace } })
            guard !names.isEmpty, names.isSubset(of: Set(MCPSettings.families)) else {
                throw UsageError("--tool-families takes helpdesk, workflow or helpdesk,workflow")
            }
            return names
        }
        let readOnly = try onOff(parsed, "read-only")
        let tokenArgument = try onOff(parsed, "access-token-argument")
        let limitDepartments = parsed.value("limit-departments").map(list)
        let limitTags = parsed.value("limit-tags").map(list)
        let limitWrites = try onOff(parsed, "limit-writes")
        let deniedTools = try parsed.value("deny-tools").map { text -> Set<String> in
            let names = Set(list(text))
            let unknown = MCPSettings.unknownTools(names)
            guard unknown.isEmpty else {
                throw UsageError("--deny-tools: no tool named \(unknown.joined(separator: ", ")); tools are "
                                 + MCPSettings.toolNames.joined(separator: ", "))
            }
            return names
        }

        let approval = try parsed.value("approval").map { text -> ApprovalPolicy in
            guard let policy = ApprovalPolicy(rawValue: text) else {
                throw UsageError("--approval takes \(ApprovalPolicy.names)")
            }
            return policy
        }

        let limitValues = try limitOptions.map { option in
            try parsed.value(option).map { text -> Int in
                guard let value = Int(text), (0...UsageLimits.maximum).contains(value) else {
                    throw UsageError("--\(option) takes a whole number, 0 (no limit) to \(UsageLimits.maximum)")
                }
                return value
            }
        }

        let retentionDays = try parsed.value("audit-retention-days").map { text -> Int in
            guard let value = Int(text), (0...AuditRetention.maximumDays).contains(value) else {
                throw UsageError("--audit-retention-days takes a whole number of days, 0 (keep forever) to \(AuditRetention.maximumDays)")
            }
            return value
        }

        let storage = try context.openStorage()
        defer { storage.close() }
        let tenants = TenantService(storage: storage)
        var tenant = try tenants.find(slug)
        if let retentionDays {
            tenant = try tenants.setAuditRetention(AuditRetention(days: retentionDays), slug: slug)
        }
        if limitValues.contains(where: { $0 != nil }) {
            let current = UsageLimits(settingsJSON: tenant.settingsJSON).values
            let merged = zip(limitValues, current).map { $0 ?? $1 }
            tenant = try tenants.setUsageLimits(UsageLimits(callsPerMinute: merged[0], tenantCallsPerMinute: merged[1],
                                                            writesPerHour: merged[2], tenantWritesPerHour: merged[3]), slug: slug)
        }
        // Client ids, or hosts of Client ID Metadata Document URLs (lower case); "" allows every app.
        let allowedApps = parsed.value("allow-apps").map { text in
            Set(list(text).map(MCPSettings.appEntry))
        }
        let changes: [Any?] = [families, readOnly, tokenArgument, limitDepartments, limitTags, limitWrites, deniedTools, allowedApps,
                               approval]
        if changes.contains(where: { $0 != nil }) {
            var settings = MCPSettings(settingsJSON: tenant.settingsJSON)
            if let families { settings.toolFamilies = families }
            if let readOnly { settings.readOnly = readOnly }
            if let tokenArgument { settings.accessTokenArgument = tokenArgument }
            if let deniedTools { settings.deniedTools = deniedTools }
            if let allowedApps { settings.allowedApps = allowedApps }
            if let approval { settings.approval = approval }
            if limitDepartments != nil || limitTags != nil || limitWrites != nil {
                let current = settings.dataLimit, found = tenant
                let named = try storage.withReader { db in
                    try MCPDataLimit.named(departments: limitDepartments ?? [], tags: limitTags ?? [],
                                           allowsWrites: limitWrites ?? current.allowsWrites, in: found, on: db)
                }
                settings.dataLimit = MCPDataLimit(departmentIDs: limitDepartments == nil ? current.departmentIDs : named.departmentIDs,
                                                  tagIDs: limitTags == nil ? current.tagIDs : named.tagIDs,
                                                  allowsWrites: named.allowsWrites)
            }
            tenant = try tenants.setMCPSettings(settings, slug: slug)
        }
        try show(tenant, storage: storage, context)
    }

    private static func show(_ tenant: Tenant, storage: Storage, _ context: CommandContext) throws {
        let settings = MCPSettings(settingsJSON: tenant.settingsJSON)
        let limits = UsageLimits(settingsJSON: tenant.settingsJSON)
        let families = MCPSettings.families.filter(settings.toolFamilies.contains)
        let limit = settings.dataLimit
        let admins = AgentAdministration(storage: storage, tenant: tenant)
        let (allDepartments, allTags) = try storage.withReader { db in try admins.departmentsAndTags(on: db) }
        let departments = allDepartments.filter { limit.departmentIDs.contains($0.id) }.map(\.name)
        let tags = allTags.filter { limit.tagIDs.contains($0.id) }.map(\.name)
        if context.json {
            context.terminal.printJSON(["slug": tenant.slug, "tool_families": families, "read_only": settings.readOnly,
                                        "access_token_argument": settings.accessTokenArgument,
                                        "denied_tools": settings.deniedTools.sorted(),
                                        "allowed_apps": settings.allowedApps.sorted(),
                                        "approval": settings.approval.rawValue,
                                        "limits": Dictionary(uniqueKeysWithValues: zip(UsageLimits.keys, limits.values)),
                                        "audit_retention_days": AuditRetention(settingsJSON: tenant.settingsJSON).days,
                                        "data_limit": ["departments": departments, "tags": tags,
                                                       "allow_writes": limit.allowsWrites] as [String: Any]] as [String: Any])
            return
        }
        context.terminal.print("\(tenant.slug): MCP tool families \(families.joined(separator: ", ")); "
            + (settings.readOnly ? "read-only" : "writes allowed") + "; "
            + (settings.accessTokenArgument ? "tokens also accepted as the access_token tool argument" : "tokens in headers only"))
        context.terminal.print("  turned off: " + (settings.deniedTools.isEmpty ? "no tool" : settings.deniedTools.sorted().joined(separator: ", ")))
        context.terminal.print("  writes that wait for a person's approval: " + ApprovalText.describe(settings.approval))
        context.terminal.print("  requests: " + UsageLimits.describe(limits.callsPerMinute, per: "a minute") + " per token, "
            + UsageLimits.describe(limits.tenantCallsPerMinute, per: "a minute") + " for the help desk; writes: "
            + UsageLimits.describe(limits.writesPerHour, per: "an hour") + " per token, "
            + UsageLimits.describe(limits.tenantWritesPerHour, per: "an hour") + " for the help desk")
        context.terminal.print("  MCP audit log: " + AuditRetention(settingsJSON: tenant.settingsJSON).description)
        context.terminal.print("  apps allowed to connect: " + (settings.allowedApps.isEmpty ? "any" : settings.allowedApps.sorted().joined(separator: ", ")))
        if limit.isUnlimited {
            context.terminal.print("  data limit: none")
        } else {
            context.terminal.print("  data limit: departments " + (departments.isEmpty ? "any" : departments.joined(separator: ", "))
                + "; tags " + (tags.isEmpty ? "any" : tags.joined(separator: ", "))
                + "; " + (limit.allowsWrites ? "writes allowed" : "read-only"))
        }
    }

    /// Comma-separated names; an empty value is an empty list (it clears that part of the limit).
    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func onOff(_ parsed: Arguments, _ option: String) throws -> Bool? {
        try parsed.value(option).map { text -> Bool in
            guard text == "on" || text == "off" else { throw UsageError("--\(option) takes on or off") }
            return text == "on"
        }
    }
}
