import DeskgateIdentity
import DeskgateDesk
import DeskgateModel
import Foundation

/// `deskgate workflow import|list|export`: workflow documents (docs/workflows.md).
enum WorkflowCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("workflow needs import, list or export") }
        let parsed = try Arguments(Array(arguments.dropFirst()), valueOptions: ["tenant", "version"])
        let tenant = try parsed.required("tenant")
        switch action {
        case "import":
            let path = try parsed.positionals("FILE.json")[0]
            // Read before opening the database, so a wrong path never touches it.
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw DeskError.invalid(field: "FILE.json", reason: "cannot read \(path) as UTF-8 text")
            }
            let result = try service(tenant, context) { try $0.importDocument(text) }
            if context.json {
                context.terminal.printJSON(["outcome": result.outcome.rawValue, "workflow_id": result.workflow.id,
                                            "name": result.workflow.name, "version": result.version] as [String: Any])
            } else {
                let verb = ["created": "created", "new_version": "stored as a new version of", "unchanged": "unchanged:"][result.outcome.rawValue]!
                context.terminal.print("\(verb) workflow '\(result.workflow.name)' (id \(result.workflow.id)), current version \(result.version)")
            }
        case "list":
            _ = try parsed.positionals()
            let summaries = try service(tenant, context) { try $0.list() }
            if context.json {
                context.terminal.printJSON(summaries.map {
                    ["id": $0.workflow.id, "name": $0.workflow.name, "description": $0.workflow.description,
                     "version": $0.currentVersion as Any, "versions": $0.versionCount, "tickets": $0.ticketCount] as [String: Any]
                })
            } else {
                context.terminal.printTable(["ID", "NAME", "VERSION", "VERSIONS", "TICKETS"], summaries.map {
                    [String($0.workflow.id), $0.workflow.name, $0.currentVersion.map(String.init) ?? "-",
                     String($0.versionCount), String($0.ticketCount)]
                })
            }
        case "export":
            let reference = try parsed.positionals("NAME|ID")[0]
            let version = try parsed.value("version").map { text -> Int in
                guard let number = Int(text), number > 0 else { throw UsageError("--version must be a positive integer") }
                return number
            }
            // The document itself is the output, with or without --json.
            context.terminal.print(try service(tenant, context) { try $0.export(reference, version: version) })
        default:
            throw UsageError("unknown workflow action '\(action)'")
        }
    }

    private static func service<T>(_ tenant: String, _ context: CommandContext, _ body: (WorkflowService) throws -> T) throws -> T {
        let storage = try context.openStorage()
        defer { storage.close() }
        return try body(WorkflowService(storage: storage, tenant: try context.tenant(tenant, in: storage)))
    }
}
