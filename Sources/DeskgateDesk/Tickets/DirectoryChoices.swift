import DeskgateSQL
import DeskgateStore
import DeskgateModel

/// Errors for an unknown agent or department that list the valid choices when the list is
/// short, so a model can retry without another round trip.
enum DirectoryChoices {
    static let maxListed = 15

    static func unknownDepartment(_ given: String, field: String, scope: TenantScope, on db: any SQLConnection) throws -> DeskError {
        let all = try scope.departments.list(on: db)
        let choices = all.count <= maxListed
            ? "departments: " + all.map { "\($0.name) (id \($0.id))" }.joined(separator: ", ")
            : "use list_departments to see the \(all.count) departments"
        return DeskError.invalid(field: field, reason: "no department \(given); \(all.isEmpty ? "this tenant has no departments" : choices)")
    }

    static func unknownAgent(_ given: String, field: String, scope: TenantScope, on db: any SQLConnection) throws -> DeskError {
        let page = try scope.users.list(limit: 200, on: db)
        let assignable = page.items.filter { $0.isActive && $0.role != .viewer }
        let choices = assignable.count <= maxListed && page.nextCursor == nil
            ? "agents: " + assignable.map { "\($0.name) <\($0.email)> (id \($0.id))" }.joined(separator: ", ")
            : "use list_agents to see them"
        return DeskError.invalid(field: field, reason: "no agent \(given); \(choices)")
    }
}
