public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

public struct DepartmentRepository: Sendable {
    public let scope: TenantScope

    public func create(name: String, in tx: WriteTransaction) throws -> Department {
        try tx.connection.queryOne("""
            INSERT INTO departments (tenant_id, name, created_at) VALUES (?1, ?2, ?3) RETURNING \(Department.columns)
            """, scope.tenantKey, name, WallClock.milliseconds()) { Department(row: $0) }!
    }

    public func byID(_ id: Int64, on db: any SQLConnection) throws -> Department? {
        try db.queryOne("SELECT \(Department.columns) FROM departments WHERE tenant_id = ?1 AND id = ?2",
                        scope.tenantKey, id) { Department(row: $0) }
    }

    /// Case-insensitive, like the uniqueness rule.
    public func byName(_ name: String, on db: any SQLConnection) throws -> Department? {
        try db.queryOne("SELECT \(Department.columns) FROM departments WHERE tenant_id = ?1 AND name = ?2",
                        scope.tenantKey, name) { Department(row: $0) }
    }

    public func list(on db: any SQLConnection) throws -> [Department] {
        try db.queryAll("SELECT \(Department.columns) FROM departments WHERE tenant_id = ?1 ORDER BY name",
                        scope.tenantKey) { Department(row: $0) }
    }

    /// Adds (or updates) a membership. A user has at most one primary department, so making
    /// this one primary clears the flag elsewhere. Returns false if either side is not in this tenant.
    @discardableResult
    public func addMember(departmentID: Int64, userID: Int64, isPrimary: Bool = false, in tx: WriteTransaction) throws -> Bool {
        let db = tx.connection
        let bothHere = try db.queryOne("""
            SELECT 1 FROM departments d, users u
            WHERE d.tenant_id = ?1 AND d.id = ?2 AND u.tenant_id = ?1 AND u.id = ?3
            """, scope.tenantKey, departmentID, userID) { _ in true } ?? false
        guard bothHere else { return false }
        if isPrimary {
            try db.run("UPDATE department_members SET is_primary = 0 WHERE tenant_id = ?1 AND user_id = ?2",
                       scope.tenantKey, userID)
        }
        try db.run("""
            INSERT INTO department_members (tenant_id, department_id, user_id, is_primary) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (tenant_id, department_id, user_id) DO UPDATE SET is_primary = excluded.is_primary
            """, scope.tenantKey, departmentID, userID, isPrimary)
        return true
    }

    public func members(ofDepartment departmentID: Int64, on db: any SQLConnection) throws -> [DepartmentMember] {
        try db.queryAll("""
            SELECT department_id, user_id, is_primary FROM department_members
            WHERE tenant_id = ?1 AND department_id = ?2 ORDER BY user_id
            """, scope.tenantKey, departmentID) {
            DepartmentMember(departmentID: $0.int64(0), userID: $0.int64(1), isPrimary: $0.bool(2))
        }
    }

    public func memberships(ofUser userID: Int64, on db: any SQLConnection) throws -> [DepartmentMember] {
        // Pinned: stale statistics read the tenant's every membership (primary key by tenant) instead.
        try db.queryAll("""
            SELECT department_id, user_id, is_primary FROM department_members\(db.dialect.indexedBy("department_members_by_user"))
            WHERE tenant_id = ?1 AND user_id = ?2 ORDER BY is_primary DESC, department_id
            """, scope.tenantKey, userID) {
            DepartmentMember(departmentID: $0.int64(0), userID: $0.int64(1), isPrimary: $0.bool(2))
        }
    }
}

extension DepartmentRepository {
    /// Members per department id (departments without members are absent).
    public func memberCounts(on db: any SQLConnection) throws -> [Int64: Int] {
        let rows = try db.queryAll("""
            SELECT department_id, count(*) FROM department_members WHERE tenant_id = ?1 GROUP BY department_id
            """, scope.tenantKey) { ($0.int64(0), $0.int(1)) }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    /// Tickets still in play (new, open, pending) in one department; counts a partial index.
    public func openTicketCount(departmentID: Int64, on db: any SQLConnection) throws -> Int {
        try db.queryOne("""
            SELECT count(*) FROM tickets\(db.dialect.indexedBy("tickets_open_by_department"))
            WHERE tenant_id = ?1 AND department_id = ?2 AND status IN ('new', 'open', 'pending')
            """, scope.tenantKey, departmentID) { $0.int(0) } ?? 0
    }
}
