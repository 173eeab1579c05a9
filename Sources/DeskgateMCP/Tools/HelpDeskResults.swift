import DeskgateDesk
import DeskgateJSON
import DeskgateModel
import DeskgateSystem

/// Domain results as `structuredContent` (snake_case, ISO times) and as text for people.
enum HelpDeskResults {
    static func time(_ milliseconds: Int64) -> JSONValue { .string(Timestamp.iso8601(milliseconds: milliseconds)) }
    static func time(_ milliseconds: Int64?) -> JSONValue { milliseconds.map { time($0) } ?? .null }

    static func person(_ person: PersonRef?) -> JSONValue {
        guard let person else { return .null }
        return .object(JSONObject([("id", .number(JSONNumber(Int(person.id)))), ("name", .string(person.name)),
                                   ("email", person.email.map { .string($0) } ?? .null)]))
    }

    static func department(_ department: DepartmentRef?) -> JSONValue {
        guard let department else { return .null }
        return .object(JSONObject([("id", .number(JSONNumber(Int(department.id)))), ("name", .string(department.name))]))
    }

    static func metadata(_ ticket: TicketMetadata) -> JSONValue {
        .object(JSONObject([
            ("id", .number(JSONNumber(Int(ticket.id)))),
            ("number", .number(JSONNumber(Int(ticket.number)))),
            ("subject", .string(ticket.subject)),
            ("status", .string(ticket.status.rawValue)),
            ("priority", .string(ticket.priority.rawValue)),
            ("department", department(ticket.department)),
            ("assignee", person(ticket.assignee)),
            ("creator", person(ticket.creator)),
            ("requester", person(ticket.requester)),
            ("tags", .array(ticket.tags.map { .string($0) })),
            ("created_at", time(ticket.createdAt)),
            ("updated_at", time(ticket.updatedAt)),
            ("resolved_at", time(ticket.resolvedAt)),
            ("workflow_node", ticket.workflowNode.map { .string($0) } ?? .null),
            ("message_count", .number(JSONNumber(ticket.messageCount))),
            ("allowed_actions", .array(ticket.allowedActions.map { .string($0) })),
        ]))
    }

    static func message(_ message: TicketMessage) -> JSONValue {
        .object(JSONObject([
            ("id", .number(JSONNumber(Int(message.id)))),
            ("kind", .string(message.kind.rawValue)),
            ("author", .object(JSONObject([
                ("type", .string(message.author.type)),
                ("id", message.author.id.map { .number(JSONNumber(Int($0))) } ?? .null),
                ("name", .string(message.author.name)),
                ("email", message.author.email.map { .string($0) } ?? .null),
            ]))),
            ("body", .string(message.body)),
            ("created_at", time(message.createdAt)),
        ]))
    }

    static func change(_ change: TicketChange) -> JSONObject {
        func fields(_ values: [String: String]) -> JSONValue {
            .object(JSONObject(values.keys.sorted().map { ($0, .string(values[$0]!)) }))
        }
        return JSONObject([
            ("ticket_number", .number(JSONNumber(Int(change.ticketNumber)))),
            ("action", .string(change.action)),
            ("applied", .bool(change.applied)),
            ("dry_run", .bool(!change.applied)),
            ("summary", .string(change.summary)),
            ("before", fields(change.before)),
            ("after", fields(change.after)),
        ])
    }

    // MARK: Text renderings

    static func text(_ ticket: TicketMetadata) -> String {
        var lines = ["Ticket #\(ticket.number): \(ticket.subject)",
                     "Status \(ticket.status.rawValue), priority \(ticket.priority.rawValue)"
                        + (ticket.department.map { ", department \($0.name)" } ?? "")
                        + ", assignee " + (ticket.assignee?.name ?? "nobody")]
        if let requester = ticket.requester { lines.append("Requester: \(requester.name)" + (requester.email.map { " <\($0)>" } ?? "")) }
        if !ticket.tags.isEmpty { lines.append("Tags: " + ticket.tags.joined(separator: ", ")) }
        lines.append("Created \(Timestamp.iso8601(milliseconds: ticket.createdAt)), updated \(Timestamp.iso8601(milliseconds: ticket.updatedAt)); \(ticket.messageCount) messages")
        lines.append("You may: " + (ticket.allowedActions.isEmpty ? "read only" : ticket.allowedActions.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    static func text(_ message: TicketMessage) -> String {
        let label = message.kind == .note ? "Internal note" : "Reply"
        return "\(label) by \(message.author.name) at \(Timestamp.iso8601(milliseconds: message.createdAt)):\n\(message.body)"
    }
}
