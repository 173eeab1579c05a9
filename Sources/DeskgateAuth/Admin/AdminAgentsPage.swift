import DeskgateDesk
import DeskgateModel

/// `/t/{tenant}/admin`: every agent with role, departments and live credentials, and the
/// form that creates one (re-rendered with messages by the fields when it fails).
struct AdminAgentsPage {
    struct Draft {
        var email = ""
        var name = ""
        var role = UserRole.agent
        var departments: Set<String> = []
    }

    let agents: [AgentOverview]
    let departments: [Department]
    var draft = Draft()
    var errors = FieldErrors()

    func render(_ page: SignedInPage) -> String {
        let base = AdminText.e(page.base)
        let table = RecordTable(id: "agents", caption: "Agents", columns: [
            .init("Agent", cellClass: "agent"), .init("Role"), .init("Departments"),
            .init("Active tokens", numeric: true), .init("Authorized apps", numeric: true),
        ])
        let rows = agents.map { agent in
            let user = agent.user
            let status = user.isActive ? "" : " <span class=\"badge\">deactivated</span>"
            return RecordTable.Row(attributes: "data-agent-id=\"\(user.id)\"", cells: [
                "<a href=\"\(base)/admin/agents/\(user.id)\">\(AdminText.e(user.name))</a>\(status)<br><span class=\"note\">\(AdminText.e(user.email))</span>",
                AdminText.e(user.role.rawValue),
                AdminText.e(agent.departments.isEmpty ? "none" : agent.departments.joined(separator: ", ")),
                "\(agent.activeTokens)", "\(agent.authorizedApps)",
            ])
        }
        let departmentChoices = departments.map { department in
            let checked = draft.departments.contains(department.name) ? " checked" : ""
            return "<label><input type=\"checkbox\" name=\"department\" value=\"\(AdminText.e(department.name))\"\(checked)> \(AdminText.e(department.name))</label>"
        }.joined(separator: "\n")
        return """
            <h1>Admin</h1>
            \(AdminText.tabs(page, current: .agents))
            <section class="card" aria-labelledby="agents-heading">
            <h2 id="agents-heading">Agents (\(agents.count))</h2>
            \(table.render(rows))
            </section>
            <section class="card" aria-labelledby="create-heading">
            <h2 id="create-heading">Create an agent</h2>
            <form method="post" action="\(base)/admin/agents" novalidate>
            \(page.csrfField)
            <label for="email">Email</label>
            <input type="text" id="email" name="email" autocomplete="off" value="\(AdminText.e(draft.email))"\(errors.attributes("email"))>
            \(errors.message("email"))
            <label for="name">Name</label>
            <input type="text" id="name" name="name" autocomplete="off" value="\(AdminText.e(draft.name))"\(errors.attributes("name"))>
            \(errors.message("name"))
            <label for="role">Role</label>
            <select id="role" name="role"\(errors.attributes("role"))>\(AdminText.roleOptions(selected: draft.role))</select>
            \(errors.message("role"))
            <fieldset class="choices"\(errors.attributes("department"))><legend>Departments (the first is primary)</legend>
            \(departmentChoices.isEmpty ? "<p class=\"note\">No departments yet.</p>" : departmentChoices)
            </fieldset>
            \(errors.message("department"))
            <label for="password">Initial password (optional, at least 10 characters)</label>
            <input type="password" id="password" name="password" autocomplete="new-password"\(errors.attributes("password"))>
            \(errors.message("password"))
            <button type="submit">Create agent</button>
            </form>
            </section>
            """
    }
}
