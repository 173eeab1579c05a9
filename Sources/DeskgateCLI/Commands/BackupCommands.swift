import DeskgateIdentity

/// `deskgate backup --to FILE` and `deskgate restore --from FILE [--force]` (SQLite; on
/// PostgreSQL both say to use pg_dump and pg_restore).
enum BackupCommands {
    static func backup(_ arguments: [String], _ context: CommandContext) throws {
        let parsed = try Arguments(arguments, valueOptions: ["to"])
        _ = try parsed.positionals()
        let target = try parsed.required("to")
        let path = context.configuration.databasePath
        let report = try StorageBackup.backup(path, to: target)
        if context.json {
            context.terminal.printJSON(json(report, ["database": Storage.printable(path), "backup": target]))
        } else {
            context.terminal.print("Backed up \(Storage.printable(path)) to \(target): schema version \(report.schemaVersion), "
                                   + "\(report.tenants) tenant\(report.tenants == 1 ? "" : "s"), \(report.tickets) tickets, "
                                   + "\(report.bytes) bytes; integrity check ok.")
        }
    }

    static func restore(_ arguments: [String], _ context: CommandContext) throws {
        let parsed = try Arguments(arguments, valueOptions: ["from"], switchOptions: ["force"])
        _ = try parsed.positionals()
        let file = try parsed.required("from")
        let path = context.configuration.databasePath
        let report = try StorageBackup.restore(file, to: path, force: parsed.has("force"))
        if context.json {
            context.terminal.printJSON(json(report, ["database": Storage.printable(path), "backup": file]))
        } else {
            var done = "Restored \(file) to \(Storage.printable(path)): schema version \(report.schemaVersion), "
                + "\(report.tenants) tenant\(report.tenants == 1 ? "" : "s"), \(report.tickets) tickets; integrity check ok."
            if !report.migrated.isEmpty {
                done += " Migrated from an older Deskgate: \(report.migrated.map(String.init).joined(separator: ", "))."
            }
            context.terminal.print(done + " Restart deskgate-auth and deskgate-mcp if they were running.")
        }
    }

    private static func json(_ report: StorageBackup.Report, _ names: [String: String]) -> [String: Any] {
        var out: [String: Any] = ["schema_version": report.schemaVersion, "bytes": report.bytes,
                                  "tenants": report.tenants, "tickets": report.tickets, "migrated": report.migrated]
        for (key, value) in names { out[key] = value }
        return out
    }
}
