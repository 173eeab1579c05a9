public enum MessageKind: String, Sendable, CaseIterable {
    /// Visible to the customer.
    case reply
    /// Internal, agents only.
    case note
}

/// Who wrote a message; the matching author id is set for agents and contacts.
public enum MessageAuthor: Sendable, Equatable {
    case agent(userID: Int64)
    case contact(contactID: Int64)
    case system

    package var typeName: String {
        switch self {
        case .agent: "agent"
        case .contact: "contact"
        case .system: "system"
        }
    }

    package var userID: Int64? { if case let .agent(id) = self { id } else { nil } }
    package var contactID: Int64? { if case let .contact(id) = self { id } else { nil } }
}

public struct Message: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public let ticketID: Int64
    public let kind: MessageKind
    public let author: MessageAuthor
    public let body: String
    public let createdAt: Int64

    public init(id: Int64, tenantID: Int64, ticketID: Int64, kind: MessageKind, author: MessageAuthor, body: String,
                createdAt: Int64) {
        self.id = id
        self.tenantID = tenantID
        self.ticketID = ticketID
        self.kind = kind
        self.author = author
        self.body = body
        self.createdAt = createdAt
    }
}

public struct NewMessage: Sendable {
    public var ticketID: Int64
    public var kind: MessageKind
    public var author: MessageAuthor
    public var body: String
    /// Unix milliseconds; nil means now.
    public var createdAt: Int64?

    public init(ticketID: Int64, kind: MessageKind, author: MessageAuthor, body: String, createdAt: Int64? = nil) {
        self.ticketID = ticketID
        self.kind = kind
        self.author = author
        self.body = body
        self.createdAt = createdAt
    }
}

/// One page of a keyset-paginated list: pass `nextCursor` back to continue; nil means the end.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let nextCursor: Int64?

    public init(items: [Item], nextCursor: Int64?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}
