public import DeskgateSQL
public import DeskgateStore
public import DeskgateModel

/// Every user of a tenant with their departments: one query path for the CLI's `user list`
/// and the MCP `list_agents` tool (each shapes the rows its own way).
public enum AgentDirectory {
    static func list(_ scope: TenantScope, on db: any SQLConnection) throws
        -> [(user: User, departments: [Department], primaryDepartmentID: Int64?)] {
        let departments = Dictionary(uniqueKeysWithValues: try scope.departments.list(on: db).map { ($0.id, $0) })
        var result: [(user: User, departments: [Department], primaryDepartmentID: Int64?)] = []
        var cursor: Int64?
        repeat {
            let page = try scope.users.list(after: cursor, limit: 500, on: db)
            for user in page.items {
                let memberships = try scope.departments.memberships(ofUser: user.id, on: db)
                result.append((user, memberships.compactMap { departments[$0.departmentID] },
                               memberships.first(where: \.isPrimary)?.departmentID))
            }
            cursor = page.nextCursor
        } while cursor != nil
        return result
    }
}

extension AgentDirectory {
    /// Every user of the tenant, in id order (filter choices on the admin pages).
    public static func users(_ scope: TenantScope, on db: any SQLConnection) throws -> [User] {
        var result: [User] = []
        var cursor: Int64?
        repeat {
            let page = try scope.users.list(after: cursor, limit: 500, on: db)
            result += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return result
    }
}
