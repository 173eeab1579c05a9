import DeskgateIdentity
import DeskgateDesk
import DeskgateModel
import DeskgateSystem

enum TenantCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("tenant needs create, list, suspend, resume, settings or host") }
        let rest = Array(arguments.dropFirst())
        if action == "host" { return try TenantHostCommand.run(rest, context) }
        // Usage is checked before the database is opened, so a typo never touches it.
        let parsed = try Arguments(rest, valueOptions: action == "create" ? ["name"]
                                       : action == "settings" ? TenantSettingsCommand.options : [])
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
            try TenantSettingsCommand.run(parsed, context)
        default:
            throw UsageError("unknown tenant action '\(action)'")
        }
    }

    private static func withTenants(_ context: CommandContext, _ body: (TenantService) throws -> Void) throws {
        let storage = try context.openStorage()
        defer { storage.close() }
        try body(TenantService(storage: storage))
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
