import DeskgateDesk
import DeskgateStore
import DeskgateSystem

enum TenantCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("tenant needs create, list, suspend or resume") }
        let rest = Array(arguments.dropFirst())
        let database = try context.openDatabase()
        defer { database.close() }
        let tenants = TenantService(database: database)
        switch action {
        case "create":
            let parsed = try Arguments(rest, valueOptions: ["name"])
            let slug = try parsed.positionals("SLUG")[0]
            let tenant = try tenants.create(slug: slug, name: parsed.required("name"))
            show([tenant], context, single: true)
        case "list":
            _ = try Arguments(rest).positionals()
            show(try tenants.list(), context, single: false)
        case "suspend", "resume":
            let slug = try Arguments(rest).positionals("SLUG")[0]
            let tenant = try tenants.setStatus(action == "suspend" ? .suspended : .active, slug: slug)
            show([tenant], context, single: true)
        default:
            throw UsageError("unknown tenant action '\(action)'")
        }
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
