import DeskgateDemo
import DeskgateDesk
import DeskgateIdentity
import DeskgateModel
import DeskgateSystem

enum DemoCommand {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        let parsed = try Arguments(arguments, valueOptions: ["tenant", "name", "tickets", "workflow-tickets", "batch-size"])
        _ = try parsed.positionals()
        var options = DemoDataGenerator.Options()
        options.tenantSlug = parsed.value("tenant") ?? "acme"
        options.tenantName = parsed.value("name") ?? (options.tenantSlug == "acme" ? "Acme Inc." : options.tenantSlug)
        options.tickets = try parsed.integer("tickets", default: 500, range: 0...10_000_000)
        options.bulkWorkflowTickets = try parsed.integer("workflow-tickets", default: 0, range: 0...10_000_000)
        options.batchSize = try parsed.integer("batch-size", default: options.batchSize, range: 1...100_000)
        let storage = try context.openStorage(create: true)
        defer { storage.close() }
        try SigningKeyService(storage: storage, directory: context.configuration.keysDirectory).ensureKey()
        let summary = try generate(options, storage: storage, terminal: context.terminal)
        if context.json {
            context.terminal.printJSON(["tenant": summary.tenant.slug, "tickets": summary.tickets, "messages": summary.messages,
                                        "workflow_tickets": summary.workflowTickets,
                                        "agents": summary.agents, "customers": summary.customers,
                                        "login": ["email": summary.adminEmail, "password": summary.password]])
        } else {
            context.terminal.print("Created demo tenant '\(summary.tenant.slug)': \(summary.agents) agents, \(summary.customers) customers, "
                                   + "\(summary.tickets) tickets, \(summary.messages) messages, \(summary.workflowTickets) workflow tickets.")
            context.terminal.print("Demo login: \(summary.adminEmail) / \(summary.password)  (every demo agent shares this password)")
        }
    }

    /// Shared with `up`; draws a progress bar when stderr is a terminal.
    static func generate(_ options: DemoDataGenerator.Options, storage: Storage, terminal: Terminal) throws -> DemoDataGenerator.Summary {
        let started = MonotonicClock.nanoseconds()
        let summary = try DemoDataGenerator(storage: storage).run(options) { done, total in
            guard total > 0 else { return }
            let width = 30
            let filled = done * width / total
            let seconds = Double(MonotonicClock.nanoseconds() - started) / 1e9
            let rate = seconds > 0 ? Int(Double(done) / seconds) : 0
            terminal.progress("[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                              + "] \(done * 100 / total)%  \(done)/\(total) tickets  \(rate)/s")
        }
        terminal.progress("")
        // A bulk load: running servers' plans should see the new data's shape (docs/storage.md).
        try storage.refreshPlannerStatistics()
        // And its full-text indexes in one segment each, as a fresh migration leaves them.
        try storage.mergeSearchIndexes()
        return summary
    }
}
