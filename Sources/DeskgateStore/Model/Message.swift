public enum MessageKind: String, Sendable, CaseIterable, SQLBindable {
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

    var typeName: String {
        switch self {
        case .agent: "agent"
        case .contact: "contact"
        case .system: "system"
        }
    }

    var userID: Int64? { if case let .agent(id) = self { id } else { nil } }
    var contactID: Int64? { if case let .contact(id) = self { id } else { nil } }
}

public struct Message: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let tenantID: Int64
    public let ticketID: Int64
    public let kind: MessageKind
    public let author: MessageAuthor
    public let body: String
    public let createdAt: Int64

    static let columns = "id, tenant_id, ticket_id, kind, author_type, author_user_id, author_contact_id, body, created_at"

    init(row: Statement) throws {
        id = row.int64(0)
        tenantID = row.int64(1)
        ticketID = row.int64(2)
        kind = try row.value(MessageKind.self, 3)
        switch row.string(4) {
        case "agent": author = .agent(userID: row.int64(5))
        case "contact": author = .contact(contactID: row.int64(6))
        case "system": author = .system
        case let other: throw StoreError.corruptValue(column: "author_type", value: other)
        }
        body = row.string(7)
        createdAt = row.int64(8)
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
}
