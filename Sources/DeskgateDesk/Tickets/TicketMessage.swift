public import DeskgateModel

/// One reply or internal note as results show it.
public struct TicketMessage: Sendable, Equatable {
    /// Who wrote it: `type` is agent, contact or system; system messages have no id.
    public struct Author: Sendable, Equatable {
        public let type: String
        public let id: Int64?
        public let name: String
        public let email: String?
    }

    public let id: Int64
    public let kind: MessageKind
    public let author: Author
    public let body: String
    public let createdAt: Int64
}

/// A page of a ticket's thread, oldest first; pass `nextCursor` back for more (nil: the end).
public struct TicketMessagePage: Sendable, Equatable {
    public let ticketNumber: Int64
    /// The ticket's internal id, which cursors are bound to (`TicketService.messagesCursor`).
    public let ticketID: Int64
    public let messages: [TicketMessage]
    public let nextCursor: String?
    /// Where the first message's body continues (Unicode scalars of the body as shown), when a
    /// cursor resumed inside it after a size budget cut it; 0 otherwise.
    public var resumeOffset = 0
}

/// Metadata plus the tail of the thread (`get_ticket_context`).
public struct TicketContext: Sendable, Equatable {
    public let metadata: TicketMetadata
    /// The most recent messages, oldest first among them.
    public let recentMessages: [TicketMessage]
    /// True when older messages exist than those included.
    public let hasMoreMessages: Bool
}
