import DeskgateDesk
import DeskgateStore
import DeskgateSystem

enum TenantCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("tenant needs create, list, suspend, resume or settings") }
        let rest = Array(arguments.dropFirst())
        // Usage is checked before the database is opened, so a typo never touches it.
        let parsed = try Arguments(rest, valueOptions: action == "create" ? ["name"]
                                       : action == "settings" ? ["tool-families", "read-only", "access-token-argument"] : [])
        switch action {
        case "create":
            let slug = try parsed.positionals("SLUG")[0]
            let name = try parsed.required("name")
            try withTenants(context) { show([try $0.create(slug: slug, name: name)], context, single: true) }
        case "list":
            _ = try parsed.positionals()
            try withTenants(context) { show(try $0.list(), context, single: false) }
        case "suspend", "resume":
            let slug = try parsed.positionals("SLUG")[0]
            let status: TenantStatus = action == "suspend" ? .suspended : .active
            try withTenants(context) { show([try $0.setStatus(status, slug: slug)], context, single: true) }
        case "settings":
            let slug = try parsed.positionals("SLUG")[0]
            let families = try parsed.value("tool-families").map { text -> Set<String> in
                let names = Set(text.split(separator: ",").map { String($0).filter { !$0.isWhitespace } })
                guard !names.isEmpty, names.isSubset(of: Set(MCPSettings.families)) else {
                    throw UsageError("--tool-families takes helpdesk, workflow or helpdesk,workflow")
                }
                return names
            }
            let readOnly = try onOff(parsed, "read-only")
            let tokenArgument = try onOff(parsed, "access-token-argument")
            try withTenants(context) { tenants in
                var tenant = try tenants.find(slug)
                if families != nil || readOnly != nil || tokenArgument != nil {
                    var settings = MCPSettings(settingsJSON: tenant.settingsJSON)
                    if let families { settings.toolFamilies = families }
                    if let readOnly { settings.readOnly = readOnly }
                    if let tokenArgument { settings.accessTokenArgument = tokenArgument }
                    tenant = try tenants.setMCPSettings(settings, slug: slug)
                }
                let settings = MCPSettings(settingsJSON: tenant.settingsJSON)
                let families = MCPSettings.families.filter(settings.toolFamilies.contains)
                if context.json {
                    context.terminal.printJSON(["slug": tenant.slug, "tool_families": families, "read_only": settings.readOnly,
                                                "access_token_argument": settings.accessTokenArgument] as [String: Any])
                } else {
                    context.terminal.print("\(tenant.slug): MCP tool families \(families.joined(separator: ", ")); "
                        + (settings.readOnly ? "read-only" : "writes allowed") + "; "
                        + (settings.accessTokenArgument ? "tokens also accepted as the access_token tool argument"
                                                        : "tokens in headers only"))
                }
            }
        default:
            throw UsageError("unknown tenant action '\(action)'")
        }
    }

    private static func onOff(_ parsed: Arguments, _ option: String) throws -> Bool? {
        try parsed.value(option).map { text -> Bool in
            guard text == "on" || text == "off" else { throw UsageError("--\(option) takes on or off") }
            return text == "on"
        }
    }

    private static func withTenants(_ context: CommandContext, _ body: (TenantService) throws -> Void) throws {
        let database = try context.openDatabase()
        defer { database.close() }
        try body(TenantService(database: database))
    }

    static func json(_ tenant: Tenant) -> [String: Any] {
        ["id": tenant.id, "slug": tenant.slug, "name": tenant.name, "status": tenant.status.rawValue,
         "created_at": Timestamp.iso8601(milliseconds: tenant.createdAt)]
    }

    private static func show(_ list: [Tenant], _ context: CommandContext, single: Bool) {
        if context.json {
            context.terminal.printJSON(single ? json(list[0]) as Any : list.map(json))
        } else {
            context.terminal.printTable(["SLUG", "NAME", "STATUS", "CREATED"], list.map {
                [$0.slug, $0.name, $0.status.rawValue, Timestamp.iso8601(milliseconds: $0.createdAt)]
            })
        }
    }
}
