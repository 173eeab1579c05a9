import DeskgateIdentity
import DeskgateSystem

/// `deskgate store …`: the database as a whole.
enum StoreCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("store needs copy or grant-server-role") }
        switch action {
        case "copy": try copy(Array(arguments.dropFirst()), context)
        case "grant-server-role": try grantServerRole(Array(arguments.dropFirst()), context)
        default: throw UsageError("unknown store action '\(action)'")
        }
    }

    /// `deskgate store grant-server-role ROLE`: run as the tables' owner; the servers then
    /// connect as ROLE (their `--database` URL names it) and row-level security binds them.
    static func grantServerRole(_ arguments: [String], _ context: CommandContext) throws {
        let parsed = try Arguments(arguments, valueOptions: [])
        let role = try parsed.positionals("ROLE")[0]
        let path = context.configuration.databasePath
        try Storage.grantServerRole(role, at: path)
        if context.json {
            context.terminal.printJSON(["role": role, "database": Storage.printable(path)])
        } else {
            context.terminal.print("Granted \(role) the servers' privileges on \(Storage.printable(path)); "
                                   + "connect deskgate-auth and deskgate-mcp as \(role) to put them behind row-level security.")
        }
    }

    /// `deskgate store copy [--from SOURCE] --to TARGET`: SOURCE defaults to `--database`.
    static func copy(_ arguments: [String], _ context: CommandContext) throws {
        let parsed = try Arguments(arguments, valueOptions: ["from", "to"])
        _ = try parsed.positionals()
        let source = parsed.value("from") ?? context.configuration.databasePath
        let target = try parsed.required("to")
        // Printed forms only: a URL's password never reaches the output.
        let (shownSource, shownTarget) = (Storage.printable(source), Storage.printable(target))
        if !context.json { context.terminal.error("Copying \(shownSource) to \(shownTarget)") }

        let started = MonotonicClock.nanoseconds()
        let report = try StorageCopy.copy(from: source, to: target) { step in
            show(step, on: context.terminal)
        }
        context.terminal.progress("")
        let seconds = Double(MonotonicClock.nanoseconds() - started) / 1e9
        let rows = report.tables.reduce(0) { $0 + $1.target }

        if context.json {
            context.terminal.printJSON([
                "source": shownSource, "target": shownTarget, "schema_version": report.schemaVersion, "rows": rows,
                "tables": report.tables.map { ["table": $0.table, "source": $0.source, "target": $0.target] },
                "search_indexes_rebuilt": report.rebuiltSearchIndexes, "sequences_set": report.sequencesSet,
            ])
            return
        }
        context.terminal.printTable(["TABLE", "SOURCE", "TARGET"],
                                    report.tables.map { [$0.table, String($0.source), String($0.target)] })
        var done = "Copied \(rows) rows in \(report.tables.count) tables to \(shownTarget) (schema version \(report.schemaVersion)"
        done += ", \((seconds * 10).rounded() / 10) s); every table's row count matches the source."
        context.terminal.print(done)
        if !report.rebuiltSearchIndexes.isEmpty {
            context.terminal.print("Rebuilt search indexes: \(report.rebuiltSearchIndexes.joined(separator: ", ")).")
        }
        if report.sequencesSet > 0 {
            context.terminal.print("Set \(report.sequencesSet) id sequences past the copied ids.")
        }
    }

    /// A bar rewritten in place on a terminal; otherwise one line per finished table.
    private static func show(_ step: StorageCopy.Progress, on terminal: Terminal) {
        if terminal.interactive {
            let width = 30
            let filled = step.total > 0 ? step.copied * width / step.total : width
            let percent = step.total > 0 ? step.copied * 100 / step.total : 100
            terminal.progress("[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                              + "] \(percent)%  \(step.copied)/\(step.total) rows  \(step.table)")
        } else if step.isTableDone {
            terminal.error("copied \(step.table): \(step.tableRows) rows")
        }
    }
}
