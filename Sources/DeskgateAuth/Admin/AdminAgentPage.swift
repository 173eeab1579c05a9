import DeskgateDesk
import DeskgateIdentity
import DeskgateModel

/// `/t/{tenant}/admin/agents/{id}`: one agent's profile (alias, label, language, phone) and
/// role (changeable), their tokens and authorized apps (each revocable after a confirmation,
/// each with "what did it do"), and deactivation.
struct AdminAgentPage {
    let credentials: AgentAdministration.Credentials
    /// The agent's MCP use over the last 30 days, by token and app.
    var usage = UsageSummary()
    var errors = FieldErrors()
    /// What the admin typed into the profile form, shown again when it was refused.
    var profileTyped: [String: String] = [:]

    static let profileFields = [("alias", "Alias", "Another name people know them by"), ("label", "Label", "A note for admins"),
                                ("lang", "Language", "A tag such as en or pt-BR"), ("phone", "Phone", "")]

    func profileForm(_ page: SignedInPage, _ user: User) -> String {
        let current = ["alias": user.alias, "label": user.label, "lang": user.lang, "phone": user.phone]
        let inputs = Self.profileFields.map { key, label, hint in
            let value = profileTyped[key] ?? current[key].flatMap { $0 } ?? ""
            return """
                <label for="\(key)">\(label)</label>\(hint.isEmpty ? "" : "<p class=\"note\">\(AdminText.e(hint))</p>")
                <input id="\(key)" name="\(key)" value="\(AdminText.e(value))"\(errors.attributes(key))>
                \(errors.message(key))
                """
        }.joined(separator: "\n")
        return """
            <form method="post" action="\(AdminText.e(page.base))/admin/agents/\(user.id)/profile">
            \(page.csrfField)
            \(inputs)
            <button type="submit">Save profile</button>
            </form>
            """
    }

    func render(_ page: SignedInPage) -> String {
        let base = AdminText.e(page.base)
        let user = credentials.agent.user
        let isSelf = user.id == page.user.id
        let tokenTable = RecordTable(id: "tokens", caption: "Personal access tokens", columns: [
            .init("Token", cellClass: "nowrap"), .init("Name"), .init("Scopes"), .init("Status"), .init("Created", cellClass: "nowrap"),
            .init("Last used"), .init("Use, \(UsageService.days) days", cellClass: "usage"), .init("Expires", cellClass: "nowrap"),
            .init("Actions", cellClass: "row-actions"),
        ])
        let tokens = credentials.tokens.map { token in
            let revoke = token.status == .active
                ? "<a class=\"button danger\" href=\"\(base)/admin/tokens/\(token.id)/revoke\">Revoke…</a>" : ""
            return RecordTable.Row(attributes: "data-token-id=\"\(token.id)\"", cells: [
                "<code>\(AdminText.e(token.masked))</code>", AdminText.e(token.name.isEmpty ? "(unnamed)" : token.name),
                AdminText.e(token.scopes.names.sorted().joined(separator: " ")), AdminText.e(token.status.rawValue),
                PageDates.day(token.createdAt), AdminText.date(token.lastUsedAt), AdminText.e(usage.token(token.id).text),
                PageDates.day(token.expiresAt),
                "<a href=\"\(base)/admin/tokens/\(token.id)/activity\">What did it do?</a>\(revoke)",
            ])
        }
        let appTable = RecordTable(id: "apps", caption: "Authorized apps", columns: [
            .init("App"), .init("Scopes"), .init("Approved", cellClass: "nowrap"), .init("Last used"),
            .init("Use, \(UsageService.days) days", cellClass: "usage"), .init("Actions", cellClass: "row-actions"),
        ])
        let apps = credentials.apps.map { app in
            RecordTable.Row(attributes: "data-grant-id=\"\(app.grantID)\"", cells: [
                AdminText.e(app.clientName), AdminText.e(app.scopes.joined(separator: " ")), PageDates.day(app.approvedAt),
                AdminText.date(app.lastUsedAt), AdminText.e(usage.app(userID: user.id, clientID: app.clientID).text),
                "<a href=\"\(base)/admin/apps/\(app.grantID)/activity\">What did it do?</a><a class=\"button danger\" href=\"\(base)/admin/apps/\(app.grantID)/revoke\">Revoke…</a>",
            ])
        }
        let roleForm = isSelf ? "<p class=\"note\">This is you: another admin can change your role.</p>" : """
            <form method="post" action="\(base)/admin/agents/\(user.id)/role">
            \(page.csrfField)
            <label for="role">Role</label>
            <select id="role" name="role"\(errors.attributes("role"))>\(AdminText.roleOptions(selected: user.role))</select>
            \(errors.message("role"))
            <button type="submit">Change role</button>
            </form>
            """
        let deactivate = !user.isActive ? "<p><span class=\"badge\">deactivated</span> This account cannot sign in or use MCP.</p>"
            : isSelf ? "" : """
            <p>Deactivating ends their sessions and revokes every token and authorized app at once.</p>
            <a class="button danger" href="\(base)/admin/agents/\(user.id)/deactivate">Deactivate…</a>
            """
        return """
            <p><a href="\(base)/admin">← All agents</a></p>
            <h1>\(AdminText.e(user.name))</h1>
            <dl>
            <div><dt>Email</dt><dd>\(AdminText.e(user.email))</dd></div>
            <div><dt>Departments</dt><dd>\(AdminText.e(credentials.agent.departments.isEmpty ? "none" : credentials.agent.departments.joined(separator: ", ")))</dd></div>
            <div><dt>Last sign-in</dt><dd>\(AdminText.date(user.lastLoginAt))</dd></div>
            <div><dt>Created</dt><dd>\(AdminText.date(user.createdAt))</dd></div>
            </dl>
            <p><a href="\(base)/admin/security?agent=\(user.id)">Their security log</a></p>
            <section class="card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">Profile</h2>
            \(profileForm(page, user))
            </section>
            <section class="card" aria-labelledby="role-heading">
            <h2 id="role-heading">Role: \(AdminText.e(user.role.rawValue))</h2>
            \(roleForm)
            </section>
            <section class="card" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">Personal access tokens (\(credentials.agent.activeTokens) active)</h2>
            \(tokens.isEmpty ? "<p class=\"note\">No tokens.</p>" : tokenTable.render(tokens))
            </section>
            <section class="card" aria-labelledby="apps-heading">
            <h2 id="apps-heading">Authorized apps (\(credentials.apps.count))</h2>
            \(apps.isEmpty ? "<p class=\"note\">No authorized apps.</p>" : appTable.render(apps))
            </section>
            <section class="card" aria-labelledby="deactivate-heading">
            <h2 id="deactivate-heading">Account</h2>
            \(deactivate)
            </section>
            """
    }
}
