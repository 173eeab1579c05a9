public import DeskgateSQL
public import DeskgateModel
/// One row of the security log as stored.
public struct SecurityEventRow: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let actorUserID: Int64?
    public let subjectUserID: Int64?
    public let kind: String
    public let detailJSON: String
    public let address: String?
    public let createdAt: Int64
}

extension SecurityEventRepository {
    /// Newest first, keyset-paged by id: rows with an id below `before`. `kinds` empty means
    /// every kind; `userID` matches the acting or the affected user.
    public func page(kinds: [String], userID: Int64?, before: Int64?, limit: Int,
                     on db: any SQLConnection) throws -> [SecurityEventRow] {
        var clauses = ["tenant_id = ?", "id < ?"]
        var bindings: [any SQLBindable] = [scope.tenantKey, before ?? Int64.max]
        if !kinds.isEmpty {
            clauses.append("kind IN (\(db.dialect.texts(inJSONArray: "?")))")
            bindings.append("[" + kinds.map { "\"\($0)\"" }.joined(separator: ",") + "]")
        }
        if let userID {
            clauses.append("(actor_user_id = ? OR subject_user_id = ?)")
            bindings += [userID, userID]
        }
        return try db.queryAll("""
            SELECT id, actor_user_id, subject_user_id, kind, detail_json, address, created_at FROM security_events
            WHERE \(clauses.joined(separator: " AND ")) ORDER BY id DESC LIMIT ?
            """, bindings: bindings + [limit]) {
            SecurityEventRow(id: $0.int64(0), actorUserID: $0.optionalInt64(1), subjectUserID: $0.optionalInt64(2),
                             kind: $0.string(3), detailJSON: $0.string(4), address: $0.optionalString(5), createdAt: $0.int64(6))
        }
    }
}

extension ActivityRepository {
    /// Changes made through one credential, newest first, keyset-paged by id: a personal access
    /// token (`tokenID`), or an OAuth client acting for one user (`clientID` + `actorUserID`:
    /// one authorized app). Walks the `activity_by_actor` index. (The casts give PostgreSQL a
    /// type for a NULL that is only ever compared with NULL.)
    public func list(actorUserID: Int64, tokenID: String?, clientID: String?, before: Int64?, limit: Int,
                     on db: any SQLConnection) throws -> [ActivityEntry] {
        try db.queryAll("""
            SELECT \(ActivityEntry.columns) FROM activity
            WHERE tenant_id = ?1 AND actor_user_id = ?2 AND id < ?3
              AND (CAST(?4 AS TEXT) IS NULL OR token_id = ?4) AND (CAST(?5 AS TEXT) IS NULL OR client_id = ?5)
            ORDER BY id DESC LIMIT ?6
            """, scope.tenantKey, actorUserID, before ?? Int64.max, tokenID, clientID, limit) { try ActivityEntry(row: $0) }
    }
}
