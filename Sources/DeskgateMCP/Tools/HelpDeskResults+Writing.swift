import DeskgateModel
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
    static func writeMetadataResult(_ ticket: TicketMetadata, fence: CustomerTextFence = CustomerTextFence(), to w: inout JSONWriter) {
        // Formatted once, inline (no String), for both the text and structuredContent.
        let created = ISO8601Text(milliseconds: ticket.createdAt)
        let updated = ISO8601Text(milliseconds: ticket.updatedAt)
        let shown = ShownTicket(ticket)
        w.key(literal: "content")
        w.beginArray()
        w.beginObject()
        w.key(literal: "type"); w.string(literal: "text")
        w.key(literal: "text")
        writeText(ticket, shown, fence: fence, created: created, updated: updated, to: &w)
        w.endObject()
        w.endArray()
        w.key(literal: "structuredContent")
        writeMetadata(ticket, shown, created: created, updated: updated, to: &w)
    }

    /// `metadata(_:)`, member for member, as a template: the fixed stretches (keys, braces,
    /// commas) are copied as literals, and only the values are encoded.
    static func writeMetadata(_ ticket: TicketMetadata, _ shown: ShownTicket, created: ISO8601Text, updated: ISO8601Text,
                              to w: inout JSONWriter) {
        w.fragment("{\"id\":"); w.number(Int(ticket.id))
        w.fragment(",\"number\":"); w.number(Int(ticket.number))
        w.fragment(",\"subject\":"); w.string(shown.subject)
        w.fragment(",\"subject_author_kind\":"); w.string(plain: shown.subjectKind.rawValue)
        w.fragment(",\"status\":"); w.string(plain: ticket.status.rawValue)
        w.fragment(",\"priority\":"); w.string(plain: ticket.priority.rawValue)
        w.fragment(",\"department\":")
        if let department = ticket.department {
            w.fragment("{\"id\":"); w.number(Int(department.id))
            w.fragment(",\"name\":"); w.string(department.name)
            w.endObject()
        } else {
            w.null()
        }
        w.fragment(",\"assignee\":"); writePerson(ticket.assignee, to: &w)
        w.fragment(",\"creator\":"); writePerson(ticket.creator, to: &w)
        w.fragment(",\"requester\":"); writePerson(ticket.requester, name: shown.requesterName, customer: true, to: &w)
        w.fragment(",\"tags\":[")
        for tag in ticket.tags { w.string(tag) }
        w.endArray()
        w.fragment(",\"created_at\":"); created.withBytes { w.string(plainBytes: $0) }
        w.fragment(",\"updated_at\":"); updated.withBytes { w.string(plainBytes: $0) }
        w.fragment(",\"resolved_at\":")
        if let resolved = ticket.resolvedAt { ISO8601Text(milliseconds: resolved).withBytes { w.string(plainBytes: $0) } } else { w.null() }
        w.fragment(",\"workflow_node\":"); w.string(ticket.workflowNode)
        w.fragment(",\"message_count\":"); w.number(ticket.messageCount)
        w.fragment(",\"allowed_actions\":[")
        for action in ticket.allowedActions { w.string(plain: action) }
        w.endArray()
        if !shown.removed.isEmpty {
            w.fragment(",\"sanitized\":{")
            for (index, count) in shown.removed.counts.enumerated() {
                if index > 0 { w.fragment(",") }
                w.string(plain: count.0); w.fragment(":"); w.number(count.1)
            }
            w.endObject()
        }
        w.endObject()
    }

    private static func writePerson(_ person: PersonRef?, name: String? = nil, customer: Bool = false, to w: inout JSONWriter) {
        guard let person else { return w.null() }
        w.fragment("{\"id\":"); w.number(Int(person.id))
        w.fragment(",\"name\":"); w.string(name ?? person.name)
        w.fragment(",\"email\":"); w.string(person.email)
        // A requester's name is the customer's own words (`HelpDeskResults.requester`).
        if customer { w.fragment(",\"author_kind\":\"customer\"") }
        w.endObject()
    }

    /// `text(_:)` as one JSON string value, escaped as it is written.
    static func writeText(_ ticket: TicketMetadata, _ shown: ShownTicket, fence: CustomerTextFence,
                          created: ISO8601Text, updated: ISO8601Text, to w: inout JSONWriter) {
        w.beginString()
        let fenced = shown.subjectKind.isUntrusted
        if fenced { fence.writeNotice(to: &w); w.stringNewline(); w.stringNewline() }
        w.stringPart(literal: "Ticket #"); w.stringPart(Int(ticket.number)); w.stringPart(literal: ": ")
        if fenced {
            fence.writeOpening(to: &w); w.stringNewline(); w.stringPart(shown.subject); w.stringNewline(); fence.writeClosing(to: &w)
        } else {
            w.stringPart(shown.subject)
        }
        w.stringNewline(); w.stringPart(literal: "Status "); w.stringPart(plain: ticket.status.rawValue)
        w.stringPart(literal: ", priority "); w.stringPart(plain: ticket.priority.rawValue)
        if let department = ticket.department { w.stringPart(literal: ", department "); w.stringPart(department.name) }
        w.stringPart(literal: ", assignee "); w.stringPart(ticket.assignee?.name ?? "nobody")
        if let requester = ticket.requester {
            w.stringNewline(); w.stringPart(literal: "Requester (customer): "); w.stringPart(shown.requesterName ?? requester.name)
            if let email = requester.email { w.stringPart(literal: " <"); w.stringPart(email); w.stringPart(literal: ">") }
        }
        if !ticket.tags.isEmpty {
            w.stringNewline(); w.stringPart(literal: "Tags: ")
            writeJoined(ticket.tags, to: &w)
        }
        w.stringNewline(); w.stringPart(literal: "Created "); created.withBytes { w.stringPart(plainBytes: $0) }; w.stringPart(literal: ", updated ")
        updated.withBytes { w.stringPart(plainBytes: $0) }
        w.stringPart(literal: "; "); w.stringPart(ticket.messageCount); w.stringPart(literal: " messages")
        w.stringNewline(); w.stringPart(literal: "You may: ")
        if ticket.allowedActions.isEmpty { w.stringPart(literal: "read only") } else { writeJoined(ticket.allowedActions, to: &w) }
        w.endString()
    }

    private static func writeJoined(_ items: [String], to w: inout JSONWriter) {
        for index in items.indices {
            if index > 0 { w.stringPart(literal: ", ") }
            w.stringPart(items[index])
        }
    }
}
