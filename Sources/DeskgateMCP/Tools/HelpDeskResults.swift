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

    /// The requester is a customer: their name is theirs (sanitized) and says so.
    static func requester(_ person: PersonRef?) -> JSONValue {
        guard case .object(var object) = self.person(person) else { return .null }
        object["author_kind"] = "customer"
        return .object(object)
    }

    static func department(_ department: DepartmentRef?) -> JSONValue {
        guard let department else { return .null }
        return .object(JSONObject([("id", .number(JSONNumber(Int(department.id)))), ("name", .string(department.name))]))
    }

    /// A ticket's metadata as results show it: a subject a customer (or the system) wrote, and
    /// the requester's name, sanitized (`UntrustedText`); what was removed, counted.
    struct ShownTicket {
        let subject: String
        let subjectKind: AuthorKind
        let requesterName: String?
        let removed: UntrustedText.Removed

        init(_ ticket: TicketMetadata) {
            subjectKind = ticket.subjectAuthorKind
            let cleaned = subjectKind.shown(ticket.subject)
            var removed = cleaned.removed
            subject = cleaned.text
            let name = ticket.requester.map { AuthorKind.customer.shown($0.name) }
            requesterName = name?.text
            if let name { removed.add(name.removed) }
            self.removed = removed
        }
    }

    static func metadata(_ ticket: TicketMetadata) -> JSONValue {
        let shown = ShownTicket(ticket)
        var members: [(String, JSONValue)] = [
            ("id", .number(JSONNumber(Int(ticket.id)))),
            ("number", .number(JSONNumber(Int(ticket.number)))),
            ("subject", .string(shown.subject)),
            ("subject_author_kind", .string(shown.subjectKind.rawValue)),
            ("status", .string(ticket.status.rawValue)),
            ("priority", .string(ticket.priority.rawValue)),
            ("department", department(ticket.department)),
            ("assignee", person(ticket.assignee)),
            ("creator", person(ticket.creator)),
            ("requester", requester(ticket.requester.map { PersonRef(id: $0.id, name: shown.requesterName ?? $0.name, email: $0.email) })),
            ("tags", .array(ticket.tags.map { .string($0) })),
            ("created_at", time(ticket.createdAt)),
            ("updated_at", time(ticket.updatedAt)),
            ("resolved_at", time(ticket.resolvedAt)),
            ("workflow_node", ticket.workflowNode.map { .string($0) } ?? .null),
            ("message_count", .number(JSONNumber(ticket.messageCount))),
            ("allowed_actions", .array(ticket.allowedActions.map { .string($0) })),
        ]
        if !shown.removed.isEmpty { members.append(("sanitized", removedCounts(shown.removed))) }
        return .object(JSONObject(members))
    }

    /// A message as results show it: text from outside the tenant's agents sanitized, with
    /// who wrote it (`author_kind`) and what the sanitizer removed (`sanitized`, when anything).
    struct ShownMessage {
        let message: TicketMessage
        let authorName: String
        let body: String
        let removed: UntrustedText.Removed
        /// What the injection detector found in the raw body (customer and system text only).
        let warnings: [ContentWarning]

        init(_ message: TicketMessage) {
            self.message = message
            let kind = message.author.kind
            warnings = kind.isUntrusted ? InjectionDetector.scan(message.body) : []
            let body = kind.shown(message.body), name = kind.shown(message.author.name)
            var removed = body.removed
            removed.add(name.removed)
            (self.body, authorName, self.removed) = (body.text, name.text, removed)
        }
    }

    static func message(_ shown: ShownMessage) -> JSONValue {
        let message = shown.message
        var members: [(String, JSONValue)] = [
            ("id", .number(JSONNumber(Int(message.id)))),
            ("kind", .string(message.kind.rawValue)),
            ("author", .object(JSONObject([
                ("type", .string(message.author.type)),
                ("id", message.author.id.map { .number(JSONNumber(Int($0))) } ?? .null),
                ("name", .string(shown.authorName)),
                ("email", message.author.email.map { .string($0) } ?? .null),
            ]))),
            ("author_kind", .string(message.author.kind.rawValue)),
            ("body", .string(shown.body)),
            ("created_at", time(message.createdAt)),
        ]
        if !shown.removed.isEmpty { members.append(("sanitized", removedCounts(shown.removed))) }
        return .object(JSONObject(members))
    }

    /// The result's `content_warnings`: each warning with the message it was found in, and
    /// (get_ticket_context) those of a customer's subject first.
    static func contentWarnings(_ messages: [ShownMessage], subject: [ContentWarning] = []) -> JSONValue {
        func entry(_ warning: ContentWarning, field: String, messageID: Int64?, author: AuthorKind) -> JSONValue {
            .object(JSONObject([("field", .string(field)),
                                ("message_id", messageID.map { .number(JSONNumber(Int($0))) } ?? .null),
                                ("author_kind", .string(author.rawValue)),
                                ("kind", .string(warning.kind.rawValue)), ("excerpt", .string(warning.excerpt))]))
        }
        return .array(subject.map { entry($0, field: "subject", messageID: nil, author: .customer) }
            + messages.flatMap { shown in
                shown.warnings.map { entry($0, field: "body", messageID: shown.message.id, author: shown.message.author.kind) }
            })
    }

    /// What the detector finds in a ticket's subject when a customer wrote it.
    static func subjectWarnings(_ ticket: TicketMetadata) -> [ContentWarning] {
        ticket.subjectAuthorKind == .customer ? InjectionDetector.scan(ticket.subject) : []
    }

    /// One line per warning for the text rendering, after the notice; empty when none. The
    /// quotes are the customer's words (hidden ones included), so they stay inside a fence.
    static func warningLines(_ messages: [ShownMessage], subject: [ContentWarning] = [], fence: CustomerTextFence) -> String {
        let lines = subject.map { "subject (customer): \($0.kind.rawValue), \"\($0.excerpt)\"" } + messages.flatMap { shown in
            shown.warnings.map { "message \(shown.message.id) (\(shown.message.author.kind.rawValue)): \($0.kind.rawValue), \"\($0.excerpt)\"" }
        }
        return lines.isEmpty ? "" : "Content warnings (quoting the customer text they are about):\n"
            + fence.fenced(lines.joined(separator: "\n")) + "\n\n"
    }

    static func removedCounts(_ removed: UntrustedText.Removed) -> JSONValue {
        .object(JSONObject(removed.counts.map { ($0.0, .number(JSONNumber($0.1))) }))
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
            ("changed", .bool(change.changed)),
            ("summary", .string(change.summary)),
            ("before", fields(change.before)),
            ("after", fields(change.after)),
        ])
    }

    // MARK: Text renderings

    /// get_ticket_metadata's text: the fence's notice first when the subject is fenced.
    static func metadataText(_ ticket: TicketMetadata, fence: CustomerTextFence) -> String {
        notice(fence, needed: ticket.subjectAuthorKind.isUntrusted) + text(ticket, fence: fence)
    }

    /// The metadata for people; a subject from outside the tenant's agents is fenced.
    static func text(_ ticket: TicketMetadata, fence: CustomerTextFence) -> String {
        let shown = ShownTicket(ticket)
        var lines = ["Ticket #\(ticket.number): " + (shown.subjectKind.isUntrusted ? fence.fenced(shown.subject) : shown.subject),
                     "Status \(ticket.status.rawValue), priority \(ticket.priority.rawValue)"
                        + (ticket.department.map { ", department \($0.name)" } ?? "")
                        + ", assignee " + (ticket.assignee?.name ?? "nobody")]
        if let requester = ticket.requester {
            lines.append("Requester (customer): \(shown.requesterName ?? requester.name)" + (requester.email.map { " <\($0)>" } ?? ""))
        }
        if !ticket.tags.isEmpty { lines.append("Tags: " + ticket.tags.joined(separator: ", ")) }
        lines.append("Created \(Timestamp.iso8601(milliseconds: ticket.createdAt)), updated \(Timestamp.iso8601(milliseconds: ticket.updatedAt)); \(ticket.messageCount) messages")
        lines.append("You may: " + (ticket.allowedActions.isEmpty ? "read only" : ticket.allowedActions.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    /// "Reply by Dana (customer) at …:" and the body, fenced when a customer or the system wrote it.
    static func text(_ shown: ShownMessage, fence: CustomerTextFence) -> String {
        let message = shown.message
        let label = message.kind == .note ? "Internal note" : "Reply"
        let kind = message.author.kind
        let head = "\(label) by \(shown.authorName) (\(kind.rawValue)) at \(Timestamp.iso8601(milliseconds: message.createdAt)):\n"
        return head + (kind.isUntrusted ? fence.fenced(shown.body) : shown.body)
    }

    /// The fence's notice and a blank line when the rendering holds fenced text, else nothing.
    static func notice(_ fence: CustomerTextFence, needed: Bool) -> String { needed ? fence.notice + "\n\n" : "" }

    static func anyFenced(_ messages: [ShownMessage]) -> Bool { messages.contains { $0.message.author.kind.isUntrusted } }
}
