import DeskgateDesk
import DeskgateJSON
import DeskgateModel
import DeskgateSystem

/// `get_ticket_activity`: the ticket's history, as people read it ("Dana Whitfield via Claude
/// Desktop: resolve, status open → resolved").
extension HelpDeskReadTools {
    /// One change, as get_ticket_activity and ticket_detail's flow_log show it.
    static let activityEntryOutput = Schema.record([
        ("id", Schema.integer("Entry id.")), ("action", Schema.string("What was done (ticket.resolve, ticket.assign, ticket.add_tags, ...).")),
        ("actor", Schema.nullable(Schema.nameRef)),
        ("via", Schema.string("The door: mcp, web, cli or system.", enumeration: ActivityVia.allCases.map(\.rawValue))),
        ("token", Schema.nullable(Schema.string("The personal access token used, masked."))),
        ("app", Schema.nullable(Schema.string("The authorized app that acted for the agent."))),
        ("before", Schema.texts("Fields before the change.")), ("after", Schema.texts("Fields after the change.")),
        ("created_at", Schema.timestamp),
    ], required: ["id", "action", "actor", "via", "token", "app", "before", "after", "created_at"])

    static let activity = ToolDefinition(
        name: "get_ticket_activity", title: "Get ticket activity",
        description: "A ticket's history, oldest first, a page at a time: each change (action, fields before and after), "
            + "who made it and through what (mcp with the token or app, web, cli, system); next_cursor continues.",
        inputSchema: Schema.object([("ticket", Schema.ticketReference),
                                    ("cursor", Schema.string("next_cursor of the previous page.", maxLength: 200)),
                                    ("limit", Schema.integer("Changes per page (default 25).", minimum: 1, maximum: 100)),
                                    ("fields", FieldSelection.schema(of: "change")), ("max_chars", AnswerBudget.schema)],
                                   required: ["ticket"]),
        outputSchema: Schema.object([
            ("ticket_number", Schema.integer("Ticket number.")),
            ("activity", Schema.array(activityEntryOutput, description: "This page, oldest first.")),
            ("next_cursor", Schema.nullable(Schema.string("Cursor of the next page."))),
        ], required: ["ticket_number", "activity", "next_cursor"], additionalProperties: true),
        readOnly: true, destructive: false, idempotent: true, scope: .ticketsRead, family: .helpDesk, execution: .onLoop
    ) { call in
        var budget = try AnswerBudget(call.arguments)
        let fields = try FieldSelection(call.arguments, known: FieldSelection.names(of: activityEntryOutput))
        let page = try TicketService(storage: call.storage).activity(
            try ticketRef(call.arguments), cursor: try call.arguments.string("cursor", maxLength: 200),
            limit: try call.arguments.integer("limit", in: 1...100) ?? 25, actor: call.actor, on: call.reader)
        let allRows = page.entries.map { fields.apply(HelpDeskResults.activity($0)) }
        let allLines = page.entries.map(HelpDeskResults.text)
        let count = budget.fit(allRows, lines: allLines)
        let next = count < page.entries.count
            ? TicketService.activityCursor(ticketID: page.ticketID, after: page.entries[count - 1].id) : page.nextCursor
        let lines = allLines.prefix(count)
        let text = (lines.isEmpty ? "Ticket #\(page.ticketNumber) has no recorded changes." : "Ticket #\(page.ticketNumber) history:\n"
                    + lines.joined(separator: "\n")) + (next.map { "\n(more: cursor \($0))" } ?? "")
        return ToolOutput(structured: JSONObject([("ticket_number", .number(JSONNumber(Int(page.ticketNumber)))),
                                                  ("activity", .array(Array(allRows.prefix(count)))),
                                                  ("next_cursor", next.map { .string($0) } ?? .null)]), text: text)
    }
}

extension HelpDeskResults {
    static func activity(_ entry: TicketActivityEntry) -> JSONValue {
        func fields(_ values: [String: String]) -> JSONValue {
            .object(JSONObject(values.keys.sorted().map { ($0, .string(values[$0]!)) }))
        }
        return .object(JSONObject([
            ("id", .number(JSONNumber(Int(entry.id)))), ("action", .string(entry.action)),
            ("actor", person(entry.actor)), ("via", .string(entry.via.rawValue)),
            ("token", entry.token.map { .string($0) } ?? .null), ("app", entry.app.map { .string($0) } ?? .null),
            ("before", fields(entry.before)), ("after", fields(entry.after)),
            ("created_at", time(entry.createdAt)),
        ]))
    }

    /// "2026-12-07T09:30:00Z Dana Whitfield via Claude Desktop: ticket.resolve (status open → resolved)".
    static func text(_ entry: TicketActivityEntry) -> String {
        "\(Timestamp.iso8601(milliseconds: entry.createdAt)) \(entry.who) \(entry.door): \(entry.action)"
            + (entry.changes.isEmpty ? "" : " (" + entry.changes.joined(separator: ", ") + ")")
    }
}
