import DeskgateIdentity
import DeskgateDesk
import DeskgateModel

enum UserCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("user needs create, list, update, role or deactivate") }
        let parsed = try Arguments(Array(arguments.dropFirst()),
                                   valueOptions: ["tenant", "email", "name", "role", "department", "alias", "label", "lang", "phone"],
                                   switchOptions: ["password-stdin"])
        let tenant = try parsed.required("tenant")
        // --alias, --label, --lang, --phone: given ones change ("" clears), absent ones stay.
        let profile = UserProfileEdit(alias: parsed.value("alias"), label: parsed.value("label"), lang: parsed.value("lang"),
                                      phone: parsed.value("phone"))
        switch action {
        case "create":
            _ = try parsed.positionals()
            let roleText = try parsed.required("role")
            guard let role = UserRole(rawValue: roleText) else {
                throw UsageError("--role must be admin, agent or viewer, got '\(roleText)'")
            }
            var password: String?
            if parsed.has("password-stdin") {
                guard let line = context.terminal.readLine(), !line.isEmpty else {
                    throw UsageError("--password-stdin: no password on standard input")
                }
                password = line
            }
            let draft = AgentDraft(email: try parsed.required("email"), name: try parsed.required("name"), role: role,
                                   departments: parsed.all("department"), password: password, profile: profile)
            let storage = try context.openStorage()
            defer { storage.close() }
            let directory = DirectoryService(storage: storage, tenant: try context.tenant(tenant, in: storage))
            let agent = try directory.createAgent(draft)
            show([agent], context, single: true)
            if !context.json && password == nil {
                context.terminal.error("note: no password set; this user cannot log in until one is (use --password-stdin)")
            }
        case "list":
            _ = try parsed.positionals()
            let storage = try context.openStorage()
            defer { storage.close() }
            let directory = DirectoryService(storage: storage, tenant: try context.tenant(tenant, in: storage))
            show(try directory.agents(), context, single: false)
        case "update":
            _ = try parsed.positionals()
            let email = try parsed.required("email")
            guard profile != UserProfileEdit() else { throw UsageError("user update needs --alias, --label, --lang or --phone") }
            try administer(email, in: tenant, context) { admins, user in
                _ = try admins.updateProfile(of: user.id, profile, by: .operator)
            }
        case "role", "deactivate":
            _ = try parsed.positionals()
            let email = try parsed.required("email")
            var role: UserRole?
            if action == "role" {
                let roleText = try parsed.required("role")
                guard let parsedRole = UserRole(rawValue: roleText) else {
                    throw UsageError("--role must be admin, agent or viewer, got '\(roleText)'")
                }
                role = parsedRole
            }
            try administer(email, in: tenant, context) { admins, user in
                if let role {
                    _ = try admins.changeRole(of: user.id, to: role, by: .operator)
                } else {
                    let result = try admins.deactivate(user.id, by: .operator)
                    if !context.json {
                        context.terminal.error("revoked \(result.revokedTokens) token(s) and \(result.revokedApps) app(s), "
                                               + "ended \(result.endedSessions) session(s)")
                    }
                }
            }
        default:
            throw UsageError("unknown user action '\(action)'")
        }
    }

    /// Finds the agent `email` in `tenant`, applies `change` as the operator, then shows the agent.
    private static func administer(_ email: String, in tenant: String, _ context: CommandContext,
                                   _ change: (AgentAdministration, User) throws -> Void) throws {
        let storage = try context.openStorage()
        defer { storage.close() }
        let found = try context.tenant(tenant, in: storage)
        let admins = AgentAdministration(storage: storage, tenant: found)
        guard let user = try admins.agent(email: email) else {
            throw DeskError.notFound("user '\(email)' in tenant '\(tenant)'")
        }
        try change(admins, user)
        show([try AgentDirectory.summary(of: user.id, tenant: found, storage: storage)], context, single: true)
    }

    private static func json(_ agent: AgentSummary) -> [String: Any] {
        let u = agent.user
        return ["id": u.id, "email": u.email, "name": u.name, "role": u.role.rawValue,
                "departments": agent.departments, "active": u.isActive, "has_password": u.passwordHash != nil,
                "alias": u.alias as Any, "label": u.label as Any, "lang": u.lang as Any, "phone": u.phone as Any]
    }

    private static func show(_ agents: [AgentSummary], _ context: CommandContext, single: Bool) {
        if context.json {
            context.terminal.printJSON(single ? json(agents[0]) as Any : agents.map(json))
        } else {
            context.terminal.printTable(["ID", "EMAIL", "NAME", "ROLE", "DEPARTMENTS"], agents.map {
                [String($0.user.id), $0.user.email, $0.user.name, $0.user.role.rawValue, $0.departments.joined(separator: ", ")]
            })
        }
    }
}
