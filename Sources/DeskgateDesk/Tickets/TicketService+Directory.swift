public import DeskgateSQL
import DeskgateStore
import DeskgateModel

/// The tenant's people and departments, for choosing an assignee or a transfer target.
/// Any active role may list them; the MCP layer checks the `directory:read` scope.
extension TicketService {
    public func agents(actor: DeskActor, on db: any SQLConnection) throws -> [AgentView] {
        try actor.permissions.requireActive()
        return try AgentDirectory.list(actor.tenant, on: db).map { user, departments, _ in
            AgentView(id: user.id, name: user.name, email: user.email, role: user.role,
                      departments: departments.map { DepartmentRef(id: $0.id, name: $0.name) }, active: user.isActive)
        }
    }

    public func departments(actor: DeskActor, on db: any SQLConnection) throws -> [DepartmentView] {
        try actor.permissions.requireActive()
        let scope = actor.tenant
        let members = try scope.departments.memberCounts(on: db)
        // Under an MCP data limit by department, tickets elsewhere do not exist for the caller:
        // their departments count none, so the list is no window onto hidden volume.
        let limited = actor.activeLimit?.departmentIDs ?? []
        return try scope.departments.list(on: db).map { department in
            let hidden = !limited.isEmpty && !limited.contains(department.id)
            return DepartmentView(id: department.id, name: department.name, memberCount: members[department.id] ?? 0,
                                  openTicketCount: hidden ? 0 : try scope.departments.openTicketCount(departmentID: department.id, on: db))
        }
    }
}
