import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateModel

/// The tenant admin pages under `/t/{tenant}/admin` (admins only: `PageGuard` answers others
/// with the 403 page). Every change is a CSRF-checked POST that redirects with a banner, or
/// re-renders its form (422) with messages by the fields; destructive ones go through a
/// `ConfirmStep` page first. All of them call the domain services with the signed-in admin as
/// the actor, so the security log names them.
struct AdminEndpoint {
    let service: AuthService

    func install(on router: Router) {
        let routes = PageRoutes(service: service, router: router)
        let storage = service.storage
        installUsage(on: routes)
        installAudit(on: routes)

        // MARK: agents
        routes.get("/t/{tenant}/admin", .admin) { _, page, db in
            try Self.agentsPage(page, storage: storage, on: db)
        }
        routes.post("/t/{tenant}/admin/agents", .admin) { request, page, form in
            var draft = AdminAgentsPage.Draft(email: form["email"] ?? "", name: form["name"] ?? "",
                                              role: UserRole(rawValue: form["role"] ?? "") ?? .agent,
                                              departments: Set(form.all("department")))
            var errors = FieldErrors()
            if UserRole(rawValue: form["role"] ?? "") == nil { errors.add("role", "Choose admin, agent or viewer.") }
            let password = form["password"]
            if errors.isEmpty {
                let ordered = form.all("department")
                let directory = DirectoryService(storage: storage, tenant: page.tenant)
                do {
                    let agent = try directory.createAgent(AgentDraft(email: draft.email, name: draft.name, role: draft.role,
                                                                     departments: ordered, password: password), by: .agent(userID: page.user.id))
                    return try page.redirect(to: "\(page.base)/admin/agents/\(agent.user.id)",
                                         flash: .success("Created \(agent.user.email) as \(agent.user.role.rawValue)."))
                } catch DeskError.invalid(let field, let reason) {
                    errors.add(field, Self.sentence(reason))
                } catch DeskError.conflict(let reason) {
                    errors.add("email", Self.sentence(reason))
                }
            }
            draft.email = draft.email.trimmed
            return try storage.withReader { db in
                try Self.agentsPage(page, storage: storage, draft: draft, errors: errors, on: db)
            }
        }

        routes.get("/t/{tenant}/admin/agents/{id}", .admin) { request, page, db in
            let id = try Self.id(request, "agent")
            let credentials = try AgentAdministration(storage: storage, tenant: page.tenant).credentials(of: id, on: db)
            let usage = try UsageService(storage: storage).summary(tenant: page.tenant, userID: id, on: db)
            return page.html(title: credentials.agent.user.name, section: .admin,
                             content: AdminAgentPage(credentials: credentials, usage: usage).render(page))
        }
        routes.post("/t/{tenant}/admin/agents/{id}/role", .admin) { request, page, form in
            let id = try Self.id(request, "agent")
            let admins = AgentAdministration(storage: storage, tenant: page.tenant)
            var errors = FieldErrors()
            if let role = UserRole(rawValue: form["role"] ?? "") {
                do {
                    let user = try admins.changeRole(of: id, to: role, by: .agent(userID: page.user.id))
                    return try page.redirect(to: "\(page.base)/admin/agents/\(id)",
                                         flash: .success("\(user.email) is now \(user.role.rawValue)."))
                } catch DeskError.invalid(let field, let reason) {
                    errors.add(field, Self.sentence(reason))
                }
            } else {
                errors.add("role", "Choose admin, agent or viewer.")
            }
            let credentials = try storage.withReader { try admins.credentials(of: id, on: $0) }
            return page.html(title: credentials.agent.user.name, section: .admin,
                             content: AdminAgentPage(credentials: credentials, errors: errors).render(page),
                             banner: .error("The role was not changed."), status: .unprocessableContent)
        }
        routes.post("/t/{tenant}/admin/agents/{id}/profile", .admin) { request, page, form in
            let id = try Self.id(request, "agent")
            let admins = AgentAdministration(storage: storage, tenant: page.tenant)
            let typed = Dictionary(uniqueKeysWithValues: AdminAgentPage.profileFields.map { ($0.0, form[$0.0] ?? "") })
            var errors = FieldErrors()
            do {
                let user = try admins.updateProfile(of: id, UserProfileEdit(alias: typed["alias"], label: typed["label"],
                                                                            lang: typed["lang"], phone: typed["phone"]),
                                                    by: .agent(userID: page.user.id))
                return try page.redirect(to: "\(page.base)/admin/agents/\(id)", flash: .success("Saved the profile of \(user.email)."))
            } catch DeskError.invalid(let field, let reason) {
                errors.add(field, Self.sentence(reason))
            }
            let credentials = try storage.withReader { try admins.credentials(of: id, on: $0) }
            return page.html(title: credentials.agent.user.name, section: .admin,
                             content: AdminAgentPage(credentials: credentials, errors: errors, profileTyped: typed).render(page),
                             banner: .error("The profile was not saved."), status: .unprocessableContent)
        }
        routes.get("/t/{tenant}/admin/agents/{id}/deactivate", .admin) { request, page, db in
            let id = try Self.id(request, "agent")
            guard let user = try AgentAdministration(storage: storage, tenant: page.tenant).agent(id, on: db) else {
                throw DeskError.notFound("agent #\(id)")
            }
            let step = ConfirmStep(
                heading: "Deactivate \(user.name)?",
                consequence: "They are signed out everywhere, and every personal access token and authorized app of theirs stops working at once. Tokens and apps stay revoked if the account is reactivated.",
                details: [("Email", user.email), ("Role", user.role.rawValue)],
                action: "\(page.base)/admin/agents/\(id)/deactivate", confirmLabel: "Deactivate",
                cancel: "\(page.base)/admin/agents/\(id)")
            return page.html(title: "Deactivate \(user.name)", section: .admin, content: step.render(page))
        }
        routes.post("/t/{tenant}/admin/agents/{id}/deactivate", .admin) { request, page, _ in
            let id = try Self.id(request, "agent")
            let result = try AgentAdministration(storage: storage, tenant: page.tenant).deactivate(id, by: .agent(userID: page.user.id))
            return try page.redirect(to: "\(page.base)/admin/agents/\(id)", flash: .success(
                "Deactivated \(result.user.email): \(result.revokedTokens) token(s) and \(result.revokedApps) app(s) revoked, "
                    + "\(result.endedSessions) session(s) ended."))
        }

        // MARK: an agent's tokens and apps
        routes.get("/t/{tenant}/admin/tokens/{id}/revoke", .admin) { request, page, db in
            let id = try Self.id(request, "token")
            guard let (token, owner) = try AgentAdministration(storage: storage, tenant: page.tenant).activeToken(id, on: db) else {
                throw DeskError.notFound("active personal access token #\(id)")
            }
            let step = ConfirmStep(
                heading: "Revoke this token?",
                consequence: "Anything using it is refused from its next request. This cannot be undone.",
                details: [("Token", token.masked), ("Name", token.name.isEmpty ? "(unnamed)" : token.name), ("Owner", owner.email)],
                action: "\(page.base)/admin/tokens/\(id)/revoke", confirmLabel: "Revoke token",
                cancel: "\(page.base)/admin/agents/\(owner.id)")
            return page.html(title: "Revoke token", section: .admin, content: step.render(page))
        }
        routes.post("/t/{tenant}/admin/tokens/{id}/revoke", .admin) { request, page, _ in
            let id = try Self.id(request, "token")
            let revoked = try PersonalAccessTokenService(storage: storage).revoke(tenant: page.slug, id: id, by: .agent(userID: page.user.id))
            return try page.redirect(to: "\(page.base)/admin/agents/\(revoked.userID)",
                                 flash: .success("Revoked \(revoked.masked) of \(revoked.userEmail)."))
        }
        routes.get("/t/{tenant}/admin/apps/{id}/revoke", .admin) { request, page, db in
            let id = try Self.id(request, "app")
            guard let (grant, owner, client) = try AgentAdministration(storage: storage, tenant: page.tenant).activeApp(id, on: db) else {
                throw DeskError.notFound("authorized app #\(id)")
            }
            let step = ConfirmStep(
                heading: "Revoke this app?",
                consequence: "The app loses access on its next request and must ask for approval again.",
                details: [("App", client.map { $0.name.isEmpty ? $0.clientID : $0.name } ?? grant.clientID), ("Owner", owner.email),
                          ("Scopes", grant.scopes.joined(separator: " "))],
                action: "\(page.base)/admin/apps/\(id)/revoke", confirmLabel: "Revoke app",
                cancel: "\(page.base)/admin/agents/\(owner.id)")
            return page.html(title: "Revoke app", section: .admin, content: step.render(page))
        }
        routes.post("/t/{tenant}/admin/apps/{id}/revoke", .admin) { request, page, _ in
            let id = try Self.id(request, "app")
            let revoked = try AuthorizedApps(storage: storage).revoke(tenant: page.slug, grantID: id, by: .agent(userID: page.user.id))
            return try page.redirect(to: "\(page.base)/admin/agents/\(revoked.userID)",
                                 flash: .success("Revoked \(revoked.clientName) for \(revoked.userEmail)."))
        }
        routes.get("/t/{tenant}/admin/tokens/{id}/activity", .admin) { request, page, db in
            try Self.activityPage(.token(id: try Self.id(request, "token")), kind: "token", request: request, page: page,
                                  storage: storage, on: db)
        }
        routes.get("/t/{tenant}/admin/apps/{id}/activity", .admin) { request, page, db in
            try Self.activityPage(.app(grantID: try Self.id(request, "app")), kind: "app", request: request, page: page,
                                  storage: storage, on: db)
        }

        // MARK: security log
        routes.get("/t/{tenant}/admin/security", .admin) { request, page, db in
            let query = FormFields(query: request)
            let agentID = AdminText.id(query["agent"])
            let kind = query["kind"]
            let kinds: [String] = switch kind {
            case nil: []
            case AdminSecurityLogPage.adminFilter?: SecurityLog.adminKinds
            case let kind?: [kind]
            }
            let perPage = query["per_page"].flatMap { Int($0) } ?? 50
            let log = try SecurityLog(storage: storage, tenant: page.tenant)
                .page(agentID: agentID, kinds: kinds, before: AdminText.id(query["before"]), limit: perPage, on: db)
            let agents = try AgentDirectory.users(page.tenant, on: db)
            return page.html(title: "Security log", section: .admin,
                             content: AdminSecurityLogPage(log: log, agents: agents, agentID: agentID, kind: kind, perPage: perPage,
                                                           pageNumber: Pager.number(query["page"])).render(page))
        }

        // MARK: MCP settings
        routes.get("/t/{tenant}/admin/mcp", .admin) { _, page, db in
            let (departments, tags) = try AgentAdministration(storage: storage, tenant: page.tenant).departmentsAndTags(on: db)
            let view = AdminMCPSettingsPage(settings: MCPSettings(settingsJSON: page.tenant.settingsJSON),
                                            departments: departments, tags: tags)
            return page.html(title: "MCP settings", section: .admin, content: view.render(page))
        }
        routes.post("/t/{tenant}/admin/mcp", .admin) { request, page, form in
            let admins = AgentAdministration(storage: storage, tenant: page.tenant)
            let (departments, tags) = try storage.withReader { db in try admins.departmentsAndTags(on: db) }
            var errors = FieldErrors()
            var settings = MCPSettings(settingsJSON: page.tenant.settingsJSON)
            settings.toolFamilies = Set(form.all("family").filter(MCPSettings.families.contains))
            settings.readOnly = form["read_only"] == "on"
            settings.accessTokenArgument = form["access_token_argument"] == "on"
            func names(_ field: String) -> [String] {
                (form[field] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            let denied = Set(names("denied_tools"))
            let unknown = MCPSettings.unknownTools(denied)
            if !unknown.isEmpty { errors.add("denied_tools", "No tool is named \(unknown.joined(separator: ", ")).") }
            settings.deniedTools = denied
            settings.allowedApps = Set(names("allowed_apps").map(MCPSettings.appEntry))
            if let text = form["approval"] {
                if let policy = ApprovalPolicy(rawValue: text) { settings.approval = policy } else {
                    errors.add("approval", "Choose one of the options listed.")
                }
            }
            let departmentIDs = form.all("limit_department").map { Int64($0) }
            if departmentIDs.contains(where: { id in id == nil || !departments.contains { $0.id == id } }) {
                errors.add("limit_departments", "Choose departments from the list.")
            }
            let tagText = form["limit_tags"] ?? ""
            var tagIDs: Set<Int64> = []
            do {
                tagIDs = try storage.withReader { db in
                    try MCPDataLimit.named(departments: [], tags: tagText.split(separator: ",").map(String.init),
                                           allowsWrites: true, in: page.tenant, on: db).tagIDs
                }
            } catch DeskError.invalid(let field, let reason) {
                errors.add(field, Self.sentence(reason))
            }
            settings.dataLimit = MCPDataLimit(departmentIDs: Set(departmentIDs.compactMap { $0 }), tagIDs: tagIDs,
                                              allowsWrites: form["limit_allows_writes"] == "on")
            if settings.toolFamilies.isEmpty { errors.add("tool_families", "Expose at least one tool family.") }
            if errors.isEmpty {
                do {
                    _ = try TenantService(storage: storage).setMCPSettings(settings, slug: page.slug, by: .agent(userID: page.user.id))
                    return try page.redirect(to: "\(page.base)/admin/mcp", flash: .success("MCP settings saved."))
                } catch DeskError.invalid(let field, let reason) {
                    errors.add(field, Self.sentence(reason))
                }
            }
            let view = AdminMCPSettingsPage(settings: settings, departments: departments, tags: tags, tagText: tagText,
                                            deniedText: form["denied_tools"], appsText: form["allowed_apps"], errors: errors)
            return page.html(title: "MCP settings", section: .admin, content: view.render(page),
                             banner: .error("The settings were not saved: see the messages below."), status: .unprocessableContent)
        }
    }

    // MARK: helpers

    static func agentsPage(_ page: SignedInPage, storage: Storage, draft: AdminAgentsPage.Draft = .init(),
                           errors: FieldErrors = FieldErrors(), on db: ReadHandle) throws -> Response {
        let admins = AgentAdministration(storage: storage, tenant: page.tenant)
        let view = AdminAgentsPage(agents: try admins.overview(on: db),
                                   departments: try admins.departmentsAndTags(on: db).departments, draft: draft, errors: errors)
        return page.html(title: "Agents", section: .admin, content: view.render(page),
                         banner: errors.isEmpty ? nil : .error("The agent was not created: see the messages below."),
                         status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    static func activityPage(_ credential: CredentialActivity.Credential, kind: String, request: Request, page: SignedInPage,
                             storage: Storage, on db: ReadHandle) throws -> Response {
        let query = FormFields(query: request)
        let activity = try CredentialActivity(storage: storage, tenant: page.tenant)
            .page(credential, before: AdminText.id(query["before"]), limit: AdminActivityPage.perPage, on: db)
        return page.html(title: "What did this \(kind) do?", section: .admin,
                         content: AdminActivityPage(activity: activity, kind: kind, path: request.path,
                                                    pageNumber: Pager.number(query["page"])).render(page))
    }

    static func id(_ request: Request, _ what: String) throws -> Int64 {
        guard let id = AdminText.id(request.parameter("id")) else { throw DeskError.notFound("\(what) '\(request.parameter("id"))'") }
        return id
    }

    /// Domain reasons are phrases ("must not be empty"); by a field they read as sentences.
    static func sentence(_ reason: String) -> String {
        guard let first = reason.first else { return reason }
        let text = first.uppercased() + reason.dropFirst()
        return text.hasSuffix(".") ? text : text + "."
    }
}
