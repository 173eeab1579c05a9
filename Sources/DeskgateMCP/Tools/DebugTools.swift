import DeskgateIdentity

/// The tool registry a server offers: the two families, plus, in a debug build started with
/// `DESKGATE_DEBUG_RUNAWAY_TOOL=1`, `debug_runaway_read`.
enum ServedTools {
    static func registry(environment: [String: String]) -> ToolRegistry {
        #if DEBUG
        if environment["DESKGATE_DEBUG_RUNAWAY_TOOL"] == "1" {
            return ToolRegistry(HelpDeskTools.registry.tools + [DebugTools.runawayRead])
        }
        #endif
        return HelpDeskTools.registry
    }
}

#if DEBUG
/// Test hooks, compiled into debug builds only and registered only on request (above).
enum DebugTools {
    /// A read tool whose query never ends by itself: it takes a worker thread and a pooled
    /// reader like a slow search, until the read budget stops it with a tool error
    /// (Tests/interop/test_no_stall.py). The path is the real one; only the SQL is synthetic.
    static let runawayRead = ToolDefinition(
        name: "debug_runaway_read", title: "Runaway read (debug)",
        description: "Debug builds only: runs a query that never ends until the read budget stops it.",
        inputSchema: Schema.object([]), outputSchema: Schema.object([], additionalProperties: true),
        readOnly: true, destructive: false, idempotent: true, scope: .ticketsRead, family: .helpDesk, execution: .onWorker
    ) { call in
        try call.reader.runRunawayRead()
        return ToolOutput(structured: [:], text: "finished")
    }
}
#endif
