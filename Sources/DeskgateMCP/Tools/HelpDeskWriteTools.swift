import DeskgateDesk
import DeskgateJSON
import DeskgateModel

/// Write tools of the help-desk family. Each takes dry_run and records activity under the caller.
enum HelpDeskWriteTools {
    static let changeOutput = Schema.object([
        ("ticket_number", Schema.integer("The ticket changed (or that would be).")),
        ("action", Schema.string("What was done.")),
        ("applied", Schema.boolean("false for a dry run.")),
        ("dry_run", Schema.boolean("true when nothing was changed.")),
        ("changed", Schema.boolean("false when the ticket already was as asked (the tag there, the same assignee, "
                                   + "already resolved): the call succeeded and wrote nothing, so retrying it is harmless.")),
        ("summary", Schema.string("One line for people.")),
        ("before", Schema.object([], additionalProperties: true)),
        ("after", Schema.object([], additionalProperties: true)),
    ], required: ["ticket_number", "action", "applied", "dry_run", "changed", "summary", "before", "after"], additionalProperties: true)

    static func output(_ change: TicketChange) -> ToolOutput {
        ToolOutput(structured: HelpDeskResults.change(change), text: change.summary)
    }

    private static func write(_ name: String, title: String, description: String, properties: [(String, JSONValue)],
                              required: [String], destructive: Bool, idempotent: Bool,
                              run: @escaping @Sendable (ToolCall, TicketService, Bool) throws -> TicketChange) -> ToolDefinition {
        ToolDefinition(
            name: name, title: title, description: description,
            inputSchema: Schema.object(properties + [("dry_run", Schema.dryRun), ("approval_id", Schema.approvalID),
                                                     ("idempotency_key", Schema.idempotencyKey)], required: required),
            outputSchema: changeOutput, readOnly: false, destructive: destructive, idempotent: idempotent,
            scope: .ticketsWrite, family: .helpDesk, execution: .onWorker
        ) { call in
            output(try run(call, TicketService(storage: call.storage), try call.arguments.dryRun))
        }
    }

    static func tagNames(_ arguments: ToolArguments) throws -> [String] {
        guard let names = try arguments.strings("tags", maxCount: 20), !names.isEmpty else {
            throw ToolArgumentError(argument: "tags", reason: "is required: an array of 1 to 20 tag names")
        }
        return names
    }

    static let all: [ToolDefinition] = [
        write("add_ticket_tags", title: "Add ticket tags",
              description: "Adds tags to a ticket (new tag names are created; a tag that exists in another case keeps its spelling).",
              properties: [("ticket", Schema.ticketReference),
                           ("tags", Schema.array(Schema.string("Tag: letters, digits, space, - and _; matched without regard to case.", maxLength: 50),
                                                 description: "Tags to add.", maxItems: 20))],
              required: ["ticket", "tags"], destructive: false, idempotent: true) { call, service, dryRun in
            try service.addTags(try HelpDeskReadTools.ticketRef(call.arguments), try tagNames(call.arguments),
                                actor: call.actor, dryRun: dryRun)
        },
        write("remove_ticket_tags", title: "Remove ticket tags", description: "Removes tags from a ticket.",
              properties: [("ticket", Schema.ticketReference),
                           ("tags", Schema.array(Schema.string("Tag, in any case.", maxLength: 50), description: "Tags to remove.", maxItems: 20))],
              required: ["ticket", "tags"], destructive: true, idempotent: true) { call, service, dryRun in
            try service.removeTags(try HelpDeskReadTools.ticketRef(call.arguments), try tagNames(call.arguments),
                                   actor: call.actor, dryRun: dryRun)
        },
        write("resolve_ticket", title: "Resolve ticket",
              description: "Marks a ticket resolved, optionally with an internal note. A ticket of another workflow than "
                + "Support is resolved only by its own finishing step, when open to you; else the error names your ticket_handle actions.",
              properties: [("ticket", Schema.ticketReference),
                           ("note", Schema.string("Internal note to add with the resolution.", maxLength: 10_000))],
              required: ["ticket"], destructive: false, idempotent: true) { call, service, dryRun in
            try service.resolve(try HelpDeskReadTools.ticketRef(call.arguments), note: try call.arguments.string("note"),
                                actor: call.actor, dryRun: dryRun)
        },
        write("reopen_ticket", title: "Reopen ticket", description: "Reopens a resolved or closed ticket of the Support workflow.",
              properties: [("ticket", Schema.ticketReference),
                           ("note", Schema.string("Internal note saying why.", maxLength: 10_000))],
              required: ["ticket"], destructive: false, idempotent: true) { call, service, dryRun in
            try service.reopen(try HelpDeskReadTools.ticketRef(call.arguments), note: try call.arguments.string("note"),
                               actor: call.actor, dryRun: dryRun)
        },
        write("assign_ticket", title: "Assign ticket",
              description: "Assigns a ticket to an agent (id or email from list_agents), or unassigns it with assignee null. "
                + "On a ticket of another workflow it is that workflow's forward, when you may forward it.",
              properties: [("ticket", Schema.ticketReference),
                           ("assignee", .object(JSONObject([
                               ("description", "The agent's id or email; null to unassign."),
                               ("anyOf", .array([.object(JSONObject([("type", "integer"), ("minimum", 1)])),
                                                 .object(JSONObject([("type", "string")])),
                                                 .object(JSONObject([("type", "null")]))])),
                           ])))],
              required: ["ticket", "assignee"], destructive: false, idempotent: true) { call, service, dryRun in
            let selector: AgentSelector?
            switch call.arguments.values["assignee"] {
            case nil: throw ToolArgumentError(argument: "assignee", reason: "is required: an agent id or email, or null to unassign")
            case .null?: selector = nil
            case .number(let number)?:
                guard let id = number.int, id > 0 else { throw ToolArgumentError(argument: "assignee", reason: "must be a positive user id") }
                selector = .id(Int64(id))
            case .string(let text)?: selector = try AgentSelector.parse(text)
            default: throw ToolArgumentError(argument: "assignee", reason: "must be an agent id, an email, or null")
            }
            return try service.assign(try HelpDeskReadTools.ticketRef(call.arguments), to: selector, actor: call.actor, dryRun: dryRun)
        },
        write("transfer_ticket", title: "Transfer ticket",
              description: "Moves a ticket to another department (id or name from list_departments). The assignee is "
                + "cleared unless keep_assignee is true.",
              properties: [("ticket", Schema.ticketReference),
                           ("department", .object(JSONObject([
                               ("description", "The department's id or name."),
                               ("anyOf", .array([.object(JSONObject([("type", "integer"), ("minimum", 1)])),
                                                 .object(JSONObject([("type", "string")]))])),
                           ]))),
                           ("keep_assignee", Schema.boolean("Keep the current assignee (default false)."))],
              required: ["ticket", "department"], destructive: false, idempotent: true) { call, service, dryRun in
            let selector: DepartmentSelector
            switch call.arguments.values["department"] {
            case .number(let number)?:
                guard let id = number.int, id > 0 else { throw ToolArgumentError(argument: "department", reason: "must be a positive id") }
                selector = .id(Int64(id))
            case .string(let text)?: selector = DepartmentSelector.parse(text)
            default: throw ToolArgumentError(argument: "department", reason: "is required: a department id or name")
            }
            return try service.transfer(try HelpDeskReadTools.ticketRef(call.arguments), toDepartment: selector,
                                        keepAssignee: try call.arguments.bool("keep_assignee") ?? false,
                                        actor: call.actor, dryRun: dryRun)
        },
        write("add_ticket_note", title: "Add internal note",
              description: "Adds an internal note (visible to agents, never to the customer) to a ticket.",
              properties: [("ticket", Schema.ticketReference),
                           ("body", Schema.string("The note.", maxLength: 10_000))],
              required: ["ticket", "body"], destructive: false, idempotent: false) { call, service, dryRun in
            try service.addNote(try HelpDeskReadTools.ticketRef(call.arguments), body: try call.arguments.requiredString("body"),
                                actor: call.actor, dryRun: dryRun)
        },
        write("create_ticket", title: "Create ticket",
              description: "Opens a new ticket with a first message. The requester is a customer (by email); the "
                + "department and assignee are optional. With parent_ticket it is a sub-ticket of a ticket you can see "
                + "(ticket_list's parent_ticket_id then lists it; ticket_detail names both).",
              properties: [("subject", Schema.string("Subject.", maxLength: 200)),
                           ("body", Schema.string("The first message.", maxLength: 10_000)),
                           ("priority", Schema.string("Priority (default normal).", enumeration: Schema.priorities)),
                           ("department", Schema.string("Department id or name.", maxLength: 100)),
                           ("requester_email", Schema.string("The customer's email.", maxLength: 254)),
                           ("requester_name", Schema.string("The customer's name.", maxLength: 200)),
                           ("tags", Schema.array(Schema.string("Tag.", maxLength: 50), description: "Tags.", maxItems: 20)),
                           ("assignee", Schema.string("Agent id or email.", maxLength: 254)),
                           ("parent_ticket", Schema.withDescription(Schema.ticketReference, "The parent, for a sub-ticket."))],
              required: ["subject", "body"], destructive: false, idempotent: false) { call, service, dryRun in
            let arguments = call.arguments
            var priority = TicketPriority.normal
            if let text = try arguments.string("priority") {
                guard let parsed = TicketPriority(rawValue: text) else {
                    throw ToolArgumentError(argument: "priority", reason: "must be one of \(Schema.priorities.joined(separator: ", "))")
                }
                priority = parsed
            }
            let draft = TicketDraft(
                subject: try arguments.requiredString("subject", maxLength: 200), body: try arguments.requiredString("body"),
                priority: priority, department: try arguments.string("department", maxLength: 100).map(DepartmentSelector.parse),
                requesterEmail: try arguments.string("requester_email", maxLength: 254),
                requesterName: try arguments.string("requester_name", maxLength: 200),
                tags: try arguments.strings("tags", maxCount: 20) ?? [],
                assignee: try arguments.string("assignee", maxLength: 254).map(AgentSelector.parse),
                parent: try HelpDeskReadTools.optionalTicketRef(arguments, "parent_ticket"))
            return try service.createTicket(draft, actor: call.actor, dryRun: dryRun)
        },
    ]
}

/// Both tool families in the order tools/list shows them: the help-desk family, then the
/// workflow family (which a tenant may switch off, see `MCPService.families`).
enum HelpDeskTools {
    static let registry = ToolRegistry(HelpDeskReadTools.all + [HelpDeskReadTools.activity] + HelpDeskDirectoryTools.all + HelpDeskWriteTools.all
                                       + WorkflowTools.all)
}
