import DeskgateDesk
import DeskgateIdentity
import DeskgateSystem
import Foundation

/// `deskgate app list|revoke`: authorized apps (live OAuth grants) per user.
enum AppCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("app needs list or revoke") }
        let rest = Array(arguments.dropFirst())
        switch action {
        case "list":
            let parsed = try Arguments(rest, valueOptions: ["tenant", "user"])
            _ = try parsed.positionals()
            let tenant = try parsed.required("tenant")
            let storage = try context.openStorage()
            defer { storage.close() }
            let apps = try AuthorizedApps(storage: storage).list(tenant: tenant, userEmail: parsed.value("user"))
            if context.json {
                context.terminal.printJSON(apps.map(json))
                return
            }
            context.terminal.printTable(["ID", "USER", "APP", "CLIENT ID", "SCOPES", "APPROVED", "LAST USED"], apps.map {
                [String($0.grantID), $0.userEmail, $0.clientName, $0.clientID, $0.scopes.joined(separator: " "),
                 ClientCommands.day($0.approvedAt), ClientCommands.day($0.lastUsedAt)]
            })
        case "revoke":
            let parsed = try Arguments(rest, valueOptions: ["tenant"])
            let idText = try parsed.positionals("ID")[0]
            guard let id = Int64(idText.hasPrefix("#") ? String(idText.dropFirst()) : idText) else {
                throw UsageError("ID must be an app's number as 'deskgate app list' shows it, got '\(idText)'")
            }
            let tenant = try parsed.required("tenant")
            let storage = try context.openStorage()
            defer { storage.close() }
            let revoked = try AuthorizedApps(storage: storage).revoke(tenant: tenant, grantID: id, by: .operator)
            if context.json {
                context.terminal.printJSON(json(revoked))
            } else {
                context.terminal.print("revoked app #\(revoked.grantID) (\(revoked.clientName)) of \(revoked.userEmail)")
            }
        default:
            throw UsageError("unknown app action '\(action)'")
        }
    }

    static func json(_ app: AuthorizedApp) -> [String: Any] {
        ["id": app.grantID, "user": app.userEmail, "client_id": app.clientID, "client_name": app.clientName,
         "scopes": app.scopes, "approved_at": Timestamp.iso8601(milliseconds: app.approvedAt),
         "last_used_at": app.lastUsedAt.map { Timestamp.iso8601(milliseconds: $0) } as Any? ?? NSNull()]
    }
}
