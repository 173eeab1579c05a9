import DeskgateDesk
import DeskgateJSON
import DeskgateSystem

/// `get_ticket_metadata`'s result written straight to JSON bytes: the text rendering and
/// `structuredContent` in one pass over the metadata, no `JSONValue` tree in between (building
/// and encoding the tree, and interpolating the text, were ~80k instructions of a ~340k call;
/// callgrind, docs/benchmarks.md). The bytes are exactly those of `text(_:)` and `metadata(_:)`
/// encoded through the tree; HelpDeskResultsWritingTests holds the two side by side.
extension HelpDeskResults {
    /// Writes the `content` and `structuredContent` members into the result object `w` is in.
    static func writeMetadataResult(_ ticket: TicketMetadata, to w: inout JSONWriter) {
        let created = Timestamp.iso8601(milliseconds: ticket.createdAt)
        let updated = Timestamp.iso8601(milliseconds: ticket.updatedAt)
        w.key("content")
        w.beginArray()
        w.beginObject()
        w.key("type"); w.string("text")
        w.key("text")
        writeText(ticket, created: created, updated: updated, to: &w)
        w.endObject()
        w.endArray()
        w.key("structuredContent")
        writeMetadata(ticket, created: created, updated: updated, to: &w)
    }

    /// `metadata(_:)`, member for member.
    static func writeMetadata(_ ticket: TicketMetadata, created: String, updated: String, to w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.number(Int(ticket.id))
        w.key("number"); w.number(Int(ticket.number))
        w.key("subject"); w.string(ticket.subject)
        w.key("status"); w.string(ticket.status.rawValue)
        w.key("priority"); w.string(ticket.priority.rawValue)
        w.key("department")
        if let department = ticket.department {
            w.beginObject()
            w.key("id"); w.number(Int(department.id))
            w.key("name"); w.string(department.name)
            w.endObject()
        } else {
            w.null()
        }
        w.key("assignee"); writePerson(ticket.assignee, to: &w)
        w.key("creator"); writePerson(ticket.creator, to: &w)
        w.key("requester"); writePerson(ticket.requester, to: &w)
        w.key("tags")
        w.beginArray()
        for tag in ticket.tags { w.string(tag) }
        w.endArray()
        w.key("created_at"); w.string(created)
        w.key("updated_at"); w.string(updated)
        w.key("resolved_at"); w.string(ticket.resolvedAt.map { Timestamp.iso8601(milliseconds: $0) })
        w.key("workflow_node"); w.string(ticket.workflowNode)
        w.key("message_count"); w.number(ticket.messageCount)
        w.key("allowed_actions")
        w.beginArray()
        for action in ticket.allowedActions { w.string(action) }
        w.endArray()
        w.endObject()
    }

    private static func writePerson(_ person: PersonRef?, to w: inout JSONWriter) {
        guard let person else { return w.null() }
        w.beginObject()
        w.key("id"); w.number(Int(person.id))
        w.key("name"); w.string(person.name)
        w.key("email"); w.string(person.email)
        w.endObject()
    }

    /// `text(_:)` as one JSON string value, escaped as it is written.
    static func writeText(_ ticket: TicketMetadata, created: String, updated: String, to w: inout JSONWriter) {
        w.beginString()
        w.stringPart("Ticket #"); w.stringPart(Int(ticket.number)); w.stringPart(": "); w.stringPart(ticket.subject)
        w.stringPart("\nStatus "); w.stringPart(ticket.status.rawValue)
        w.stringPart(", priority "); w.stringPart(ticket.priority.rawValue)
        if let department = ticket.department { w.stringPart(", department "); w.stringPart(department.name) }
        w.stringPart(", assignee "); w.stringPart(ticket.assignee?.name ?? "nobody")
        if let requester = ticket.requester {
            w.stringPart("\nRequester: "); w.stringPart(requester.name)
            if let email = requester.email { w.stringPart(" <"); w.stringPart(email); w.stringPart(">") }
        }
        if !ticket.tags.isEmpty {
            w.stringPart("\nTags: ")
            writeJoined(ticket.tags, to: &w)
        }
        w.stringPart("\nCreated "); w.stringPart(created); w.stringPart(", updated "); w.stringPart(updated)
        w.stringPart("; "); w.stringPart(ticket.messageCount); w.stringPart(" messages")
        w.stringPart("\nYou may: ")
        if ticket.allowedActions.isEmpty { w.stringPart("read only") } else { writeJoined(ticket.allowedActions, to: &w) }
        w.endString()
    }

    private static func writeJoined(_ items: [String], to w: inout JSONWriter) {
        for index in items.indices {
            if index > 0 { w.stringPart(", ") }
            w.stringPart(items[index])
        }
    }
}
