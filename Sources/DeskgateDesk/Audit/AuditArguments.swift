public import DeskgateJSON
import DeskgateCrypto
import DeskgateModel

/// What the audit log keeps of a call's arguments: a digest and the ticket numbers, never the
/// values themselves (a note's text, a reply, a token passed as `access_token`).
public enum AuditArguments {
    /// Members left out of the digest: the credential (never hashed: a digest of a token would
    /// let anyone holding a token check it against the log) and the members that steer a retry
    /// rather than say what to do. `dry_run` stays in: a dry run is another call than the write.
    public static let unrecorded: Set<String> = ["access_token", "idempotency_key", "approval_id"]

    /// Lower-case hex SHA-256 of the canonical JSON of the arguments (members sorted by their
    /// UTF-8 bytes at every depth, no whitespace, `unrecorded` members left out): equal
    /// arguments give equal digests whatever order the client wrote them in.
    public static func digest(_ arguments: JSONObject) -> String {
        Hex.encode(SHA256.hash(JSONValue.object(arguments).canonicalEncoded(leavingOut: unrecorded)))
    }

    /// The members that name tickets, in the tools' own spelling (docs/tools.md).
    static let ticketMembers = ["ticket", "ticket_id", "parent_ticket"]
    /// At most this many numbers are kept per call (a long `ticket_ids` list is cut).
    public static let maximumTickets = 50

    /// The tickets a call named (`ticket`, `ticket_id`, `parent_ticket`, `ticket_ids`) and the
    /// one its result reports (`ticket_number`, `ticket.number`: what a create made), as
    /// "1042,1043" in first-seen order. A ticket named by internal id is kept as `id:N`; any
    /// other text is left out, so nothing a client typed can reach the log this way.
    public static func tickets(arguments: JSONObject, result: JSONObject? = nil) -> String {
        var seen: [String] = []
        func add(_ value: JSONValue?) {
            guard seen.count < maximumTickets, let value, let text = reference(value), !seen.contains(text) else { return }
            seen.append(text)
        }
        for member in ticketMembers { add(arguments[member]) }
        if case .string(let list)? = arguments["ticket_ids"] {
            for item in list.split(separator: ",") { add(.string(String(item))) }
        }
        if let result {
            add(result["ticket_number"])
            if case .object(let ticket)? = result["ticket"] { add(ticket["number"]) }
        }
        return seen.joined(separator: ",")
    }

    /// A ticket number (1042, "1042", "#1042") as digits, or "id:N"; nil for anything else.
    static func reference(_ value: JSONValue) -> String? {
        switch value {
        case .number:
            guard let number = value.intValue, number > 0 else { return nil }
            return String(number)
        case .string(let raw):
            var text = Substring(raw.trimmed)
            var prefix = ""
            if text.hasPrefix("#") { text = text.dropFirst() } else if text.hasPrefix("id:") { text = text.dropFirst(3); prefix = "id:" }
            guard let number = Int64(text), number > 0 else { return nil }
            return prefix + String(number)
        default:
            return nil
        }
    }
}
