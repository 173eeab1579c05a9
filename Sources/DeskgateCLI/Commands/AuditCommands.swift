import DeskgateDesk
import DeskgateModel
import DeskgateSystem
import Foundation

/// `deskgate audit export|sweep`: the MCP audit log (docs/audit.md) for operators.
enum AuditCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("audit needs export or sweep") }
        let rest = Array(arguments.dropFirst())
        switch action {
        case "export": try export(rest, context)
        case "sweep":
            let parsed = try Arguments(rest)
            _ = try parsed.positionals()
            let storage = try context.openStorage()
            defer { storage.close() }
            let deleted = try AuditLog.sweep(storage: storage)
            if context.json {
                context.terminal.printJSON(["deleted": deleted])
            } else {
                context.terminal.print("deleted \(deleted) audit rows older than their tenant's retention")
            }
        default:
            throw UsageError("unknown audit action '\(action)'")
        }
    }

    static func export(_ arguments: [String], _ context: CommandContext) throws {
        let parsed = try Arguments(arguments, valueOptions: ["tenant", "since", "until", "format", "out", "agent", "tool", "outcome"])
        _ = try parsed.positionals()
        let slug = try parsed.required("tenant")
        let now = WallClock.milliseconds()
        let formatText = parsed.value("format") ?? "csv"
        guard let format = AuditExport.Format(rawValue: formatText) else { throw UsageError("--format takes csv or jsonl") }
        var filter = AuditFilter()
        filter.from = try parsed.value("since").map { try time($0, option: "since", now: now) }
        filter.until = try parsed.value("until").map { try time($0, option: "until", now: now) }
        filter.tool = parsed.value("tool")
        if let text = parsed.value("outcome") {
            guard let outcome = AuditOutcome(rawValue: text) else {
                throw UsageError("--outcome takes " + AuditOutcome.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.outcome = outcome
        }
        let storage = try context.openStorage()
        defer { storage.close() }
        let tenant = try context.tenant(slug, in: storage)
        if let email = parsed.value("agent") {
            guard let agent = try DirectoryService(storage: storage, tenant: tenant).agents()
                .first(where: { $0.user.email.lowercased() == email.lowercased() }) else {
                throw DeskError.notFound("agent '\(email)' in \(slug)")
            }
            filter.userID = agent.user.id
        }
        var file: FileHandle?
        if let path = parsed.value("out") {
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw UsageError("cannot write --out \(path)")
            }
            file = handle
        }
        defer { try? file?.close() }
        let count = try storage.withReader { reader in
            try AuditLog(storage: storage, tenant: tenant).export(filter, format: format, on: reader) { text in
                if let file { try file.write(contentsOf: Data(text.utf8)) } else { context.terminal.output(text) }
            }
        }
        if let path = parsed.value("out") { context.terminal.error("wrote \(count) audit rows to \(path)") }
    }

    /// An ISO 8601 time (`2026-12-01`, `2026-12-01T09:30:00Z`) or an age: `7d`, `12h`, `30m`.
    static func time(_ text: String, option: String, now: Int64) throws -> Int64 {
        if let milliseconds = ISOTime.milliseconds(text) { return milliseconds }
        let units: [Character: Int64] = ["d": 86_400_000, "h": 3_600_000, "m": 60_000]
        if let unit = text.last, let size = units[unit], let count = Int64(text.dropLast()), count >= 0, count <= 100_000 {
            return now - count * size
        }
        throw UsageError("--\(option) takes an ISO 8601 time (2026-12-01, 2026-12-01T09:30:00Z) or an age such as 7d, 12h or 30m")
    }
}
