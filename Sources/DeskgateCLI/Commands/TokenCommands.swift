import DeskgateDesk
import DeskgateIdentity
import DeskgateModel
import DeskgateSystem
import Foundation

/// `deskgate token create|list|revoke`: personal access tokens, as an operator manages them.
enum TokenCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("token needs create, list or revoke") }
        let rest = Array(arguments.dropFirst())
        // Usage is checked before the database is opened, so a typo never touches it.
        switch action {
        case "create":
            let parsed = try Arguments(rest, valueOptions: ["tenant", "user", "name", "scope", "expires-in-days", "approval"])
            _ = try parsed.positionals()
            let tenant = try parsed.required("tenant")
            let user = try parsed.required("user")
            var days: Int?
            if let text = parsed.value("expires-in-days") {
                guard let number = Int(text) else { throw UsageError("--expires-in-days must be a whole number of days") }
                days = number
            }
            let scopes = parsed.all("scope").isEmpty ? nil : try Scopes.parse(parsed.all("scope"))
            // A token can only add approvals to the tenant's policy, never remove them.
            let approval = try parsed.value("approval").map { text -> ApprovalPolicy in
                guard let policy = ApprovalPolicy(rawValue: text) else { throw UsageError("--approval takes \(ApprovalPolicy.names)") }
                return policy
            }
            try withService(context) { service in
                let created = try service.create(tenant: tenant, userEmail: user, name: parsed.value("name"),
                                                 scopes: scopes, expiresInDays: days, approval: approval)
                showCreated(created.token, created.record, context)
            }
        case "list":
            let parsed = try Arguments(rest, valueOptions: ["tenant", "user"])
            _ = try parsed.positionals()
            let tenant = try parsed.required("tenant")
            try withService(context) { service in
                show(try service.list(tenant: tenant, userEmail: parsed.value("user")), context)
            }
        case "revoke":
            let parsed = try Arguments(rest, valueOptions: ["tenant"])
            let idText = try parsed.positionals("ID")[0]
            guard let id = Int64(idText.hasPrefix("#") ? String(idText.dropFirst()) : idText) else {
                throw UsageError("ID must be a token's number as 'deskgate token list' shows it, got '\(idText)'")
            }
            let tenant = try parsed.required("tenant")
            try withService(context) { service in
                // The operator acts as nobody in the tenant: revoked_by stays empty.
                let revoked = try service.revoke(tenant: tenant, id: id, by: .operator)
                if context.json {
                    context.terminal.printJSON(json(revoked))
                } else {
                    context.terminal.print("revoked token #\(revoked.id) (\(revoked.masked)) of \(revoked.userEmail)")
                }
            }
        default:
            throw UsageError("unknown token action '\(action)'")
        }
    }

    private static func withService(_ context: CommandContext, _ body: (PersonalAccessTokenService) throws -> Void) throws {
        let storage = try context.openStorage()
        defer { storage.close() }
        try body(PersonalAccessTokenService(storage: storage))
    }

    /// The token goes alone on stdout, so `TOKEN=$(deskgate token create …)` captures exactly it;
    /// the details and the warning go to stderr where a person sees them.
    private static func showCreated(_ token: String, _ record: PersonalAccessTokenSummary, _ context: CommandContext) {
        if context.json {
            var document = json(record)
            document["token"] = token
            context.terminal.printJSON(document)
            return
        }
        context.terminal.print(token)
        context.terminal.error("""
            created token #\(record.id) (\(record.masked)) for \(record.userEmail), \
            scopes \(record.scopes.text), expires \(Timestamp.iso8601(milliseconds: record.expiresAt))
            Copy the token now: it will not be shown again.
            """)
    }

    /// Never the token or its hash: the summary does not carry them.
    static func json(_ token: PersonalAccessTokenSummary) -> [String: Any] {
        ["id": token.id, "masked": token.masked, "name": token.name, "user": token.userEmail,
         "scopes": token.scopes.names, "status": token.status.rawValue, "approval": token.approval?.rawValue ?? "none",
         "created_at": Timestamp.iso8601(milliseconds: token.createdAt),
         "last_used_at": token.lastUsedAt.map { Timestamp.iso8601(milliseconds: $0) } as Any? ?? NSNull(),
         "expires_at": Timestamp.iso8601(milliseconds: token.expiresAt),
         "revoked_at": token.revokedAt.map { Timestamp.iso8601(milliseconds: $0) } as Any? ?? NSNull()]
    }

    private static func show(_ tokens: [PersonalAccessTokenSummary], _ context: CommandContext) {
        if context.json {
            context.terminal.printJSON(tokens.map(json))
            return
        }
        func day(_ milliseconds: Int64?) -> String {
            milliseconds.map { String(Timestamp.iso8601(milliseconds: $0).prefix(10)) } ?? "never"
        }
        context.terminal.printTable(["ID", "TOKEN", "NAME", "USER", "SCOPES", "CREATED", "LAST USED", "EXPIRES", "STATUS"],
                                    tokens.map {
            [String($0.id), $0.masked, $0.name.isEmpty ? "-" : $0.name, $0.userEmail, $0.scopes.text,
             day($0.createdAt), day($0.lastUsedAt), day($0.expiresAt), $0.status.rawValue]
        })
    }
}
