import DeskgateIdentity
import DeskgateModel
import DeskgateSystem

/// `deskgate tenant host add|remove|list`: custom domains (issue 20, docs/custom-domains.md).
/// Errors exit 1 with one line: an unknown tenant, a name that is not a valid host, a host
/// another tenant holds, a host the tenant does not hold; wrong usage exits 2.
enum TenantHostCommand {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("tenant host needs add, remove or list") }
        let parsed = try Arguments(Array(arguments.dropFirst()))
        switch action {
        case "add":
            let names = try parsed.positionals("SLUG", "HOST")
            try withHosts(context) { show([try $0.add(names[1], to: names[0])], context, single: true) }
        case "remove":
            let names = try parsed.positionals("SLUG", "HOST")
            try withHosts(context) { hosts in
                try hosts.remove(names[1], from: names[0])
                if context.json {
                    context.terminal.printJSON(["removed": true, "tenant": names[0], "host": names[1].lowercased()] as [String: Any])
                } else {
                    context.terminal.print("removed \(names[1].lowercased()) from \(names[0])")
                }
            }
        case "list":
            guard parsed.positional.count <= 1 else { throw UsageError("unexpected argument '\(parsed.positional[1])'") }
            let slug = parsed.positional.first
            try withHosts(context) { show(try $0.list(tenant: slug), context, single: false) }
        default:
            throw UsageError("unknown tenant host action '\(action)'")
        }
    }

    private static func withHosts(_ context: CommandContext, _ body: (TenantHosts) throws -> Void) throws {
        let storage = try context.openStorage()
        defer { storage.close() }
        try body(TenantHosts(storage: storage))
    }

    static func json(_ host: TenantHost) -> [String: Any] {
        ["host": host.host, "tenant": host.tenantSlug, "created_at": Timestamp.iso8601(milliseconds: host.createdAt)]
    }

    private static func show(_ list: [TenantHost], _ context: CommandContext, single: Bool) {
        if context.json {
            context.terminal.printJSON(single ? json(list[0]) as Any : list.map(json))
        } else {
            context.terminal.printTable(["HOST", "TENANT", "CREATED"], list.map {
                [$0.host, $0.tenantSlug, Timestamp.iso8601(milliseconds: $0.createdAt)]
            })
        }
    }
}
