/// The outcome of a command, applied or predicted (dry run): the changed fields before and
/// after, and one sentence for people and models.
public struct TicketChange: Sendable, Equatable {
    public let ticketID: Int64
    public let ticketNumber: Int64
    /// A `TicketAction` raw value, e.g. "resolve".
    public let action: String
    public let before: [String: String]
    public let after: [String: String]
    /// False for a dry run: nothing was written.
    public let applied: Bool
    /// E.g. "Resolved ticket #1042 (status open → resolved)", or "Would resolve …" for a dry run.
    public let summary: String
    /// False when the ticket already was as asked (the tag there, the ticket resolved, the same
    /// assignee): the call succeeds and writes nothing, so a retried call is harmless.
    public var changed: Bool = true
}
