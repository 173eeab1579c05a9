public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

/// A tenant's agents. Emails are compared and stored lowercased.
public struct UserRepository: Sendable {
    public let scope: TenantScope

    public func create(_ user: NewUser, in tx: WriteTransaction) throws -> User {
        try tx.connection.queryOne("""
            INSERT INTO users (tenant_id, email, name, alias, role, password_hash, is_active, created_at, updated_at, creator_id,
                               label, lang, phone)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12) RETURNING \(User.columns)
            """, scope.tenantKey, user.email.lowercased(), user.name, user.profile.alias ?? user.alias, user.role, user.passwordHash,
            user.isActive, WallClock.milliseconds(), user.creatorID, user.profile.label, user.profile.lang,
            user.profile.phone) { try User(row: $0) }!
    }

    /// Replaces the editable profile and stamps updated_at. Returns false when the user is not in this tenant.
    @discardableResult
    public func setProfile(_ profile: UserProfile, userID: Int64, at time: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("""
            UPDATE users SET alias = ?3, label = ?4, lang = ?5, phone = ?6, updated_at = ?7 WHERE tenant_id = ?1 AND id = ?2
            """, scope.tenantKey, userID, profile.alias, profile.label, profile.lang, profile.phone, time) > 0
    }

    public func byID(_ id: Int64, on db: any SQLConnection) throws -> User? {
        try db.queryOne("SELECT \(User.columns) FROM users WHERE tenant_id = ?1 AND id = ?2",
                        scope.tenantKey, id) { try User(row: $0) }
    }

    /// The users of `ids` that exist in this tenant, by id: one statement for a page that names
    /// many (a workflow listing's creators), not one each.
    public func byIDs(_ ids: some Collection<Int64>, on db: any SQLConnection) throws -> [Int64: User] {
        guard !ids.isEmpty else { return [:] }
        let sql = switch db.dialect {
        case .sqlite:
            // The ids outside, each user read by key (CROSS JOIN fixes the order): the planner,
            // left to choose, scanned a small users table (`PlanStabilityTests`).
            """
            SELECT \(User.columns) FROM (\(db.dialect.integers(inJSONArray: "?2"))) AS x CROSS JOIN users ON users.id = x.value
            WHERE users.tenant_id = ?1
            """
        case .postgres: "SELECT \(User.columns) FROM users WHERE tenant_id = ?1 AND \(db.dialect.isMember("id", ofJSONArray: "?2"))"
        }
        let users = try db.queryAll(sql, bindings: [scope.tenantKey, ids.jsonArray]) { try User(row: $0) }
        return Dictionary(users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func byEmail(_ email: String, on db: any SQLConnection) throws -> User? {
        try db.queryOne("SELECT \(User.columns) FROM users WHERE tenant_id = ?1 AND email = ?2",
                        scope.tenantKey, email.lowercased()) { try User(row: $0) }
    }

    /// Users in id order, `limit` at a time; pass the page's cursor to continue.
    public func list(after cursor: Int64? = nil, limit: Int = 100, on db: any SQLConnection) throws -> Page<User> {
        // Pinned to (tenant_id, id): a rowid range would walk every later tenant's users too.
        let users = try db.queryAll("""
            SELECT \(User.columns) FROM users\(db.dialect.indexedBy("sqlite_autoindex_users_2")) WHERE tenant_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3
            """, scope.tenantKey, cursor ?? 0, limit) { try User(row: $0) }
        return Page(items: users, nextCursor: users.count == limit ? users.last?.id : nil)
    }

    public func count(on db: any SQLConnection) throws -> Int {
        try db.queryOne("SELECT count(*) FROM users WHERE tenant_id = ?1", scope.tenantKey) { $0.int(0) } ?? 0
    }

    /// Returns false when the user is not in this tenant.
    @discardableResult
    public func recordLogin(userID: Int64, at time: Int64? = nil, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("UPDATE users SET last_login_at = ?3 WHERE tenant_id = ?1 AND id = ?2",
                              scope.tenantKey, userID, time ?? WallClock.milliseconds()) > 0
    }
}

extension UserRepository {
    /// Deactivates or reactivates a user. Returns false when the user is not in this tenant.
    @discardableResult
    public func setActive(_ active: Bool, userID: Int64, in tx: WriteTransaction) throws -> Bool {
        try tx.connection.run("UPDATE users SET is_active = ?3, updated_at = ?4 WHERE tenant_id = ?1 AND id = ?2",
                              scope.tenantKey, userID, active, WallClock.milliseconds()) > 0
    }
}
