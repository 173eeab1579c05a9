public import DeskgateSQL
import DeskgateModel

/// Row decoding and column bindings for the model's Message types.
extension MessageKind: SQLBindable {}

extension Message {
    static let columns = "id, tenant_id, ticket_id, kind, author_type, author_user_id, author_contact_id, body, created_at"

    init(row: any SQLRow) throws {
        let author: MessageAuthor
        switch row.string(4) {
        case "agent": author = .agent(userID: row.int64(5))
        case "contact": author = .contact(contactID: row.int64(6))
        case "system": author = .system
        case let other: throw StoreError.corruptValue(column: "author_type", value: other)
        }
        self.init(id: row.int64(0), tenantID: row.int64(1), ticketID: row.int64(2), kind: try row.value(MessageKind.self, 3),
                  author: author, body: row.string(7), createdAt: row.int64(8))
    }
}
