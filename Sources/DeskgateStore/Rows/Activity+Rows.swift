public import DeskgateSQL
import DeskgateModel

/// Row decoding and column bindings for the model's Activity types.
extension ActivityVia: SQLBindable {}

extension ActivityEntry {
    static let columns = "id, tenant_id, ticket_id, actor_user_id, via, token_id, client_id, action, before_json, after_json, created_at"

    init(row: any SQLRow) throws {
        self.init(id: row.int64(0), tenantID: row.int64(1), ticketID: row.optionalInt64(2),
                  actorUserID: row.optionalInt64(3), via: try row.value(ActivityVia.self, 4),
                  tokenID: row.optionalString(5), clientID: row.optionalString(6), action: row.string(7),
                  beforeJSON: row.optionalString(8), afterJSON: row.optionalString(9), createdAt: row.int64(10))
    }
}
