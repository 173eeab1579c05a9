import DeskgateIdentity
import DeskgateDesk
import DeskgateModel

enum DepartmentCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("department needs create or list") }
        let parsed = try Arguments(Array(arguments.dropFirst()), valueOptions: ["tenant"])
        guard action == "create" || action == "list" else { throw UsageError("unknown department action '\(action)'") }
        let tenant = try parsed.required("tenant")
        let storage = try context.openStorage()
        defer { storage.close() }
        let directory = DirectoryService(storage: storage, tenant: try context.tenant(tenant, in: storage))
        let departments: [Department]
        switch action {
        case "create": departments = [try directory.createDepartment(name: parsed.positionals("NAME")[0])]
        case "list":
            _ = try parsed.positionals()
            departments = try directory.departments()
        default: throw UsageError("unknown department action '\(action)'")
        }
        if context.json {
            let rows = departments.map { ["id": $0.id, "name": $0.name] as [String: Any] }
            context.terminal.printJSON(action == "create" ? rows[0] as Any : rows)
        } else {
            context.terminal.printTable(["ID", "NAME"], departments.map { [String($0.id), $0.name] })
        }
    }
}
