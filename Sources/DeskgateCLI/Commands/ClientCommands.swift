import DeskgateDesk
import DeskgateIdentity
import DeskgateModel
import DeskgateSystem
import Foundation

/// `deskgate client create|list|delete|purge`: OAuth clients as an operator manages them
/// (pre-registered clients for apps that cannot register themselves; purge of idle ones).
enum ClientCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("client needs create, list, delete or purge") }
        let rest = Array(arguments.dropFirst())
        switch action {
        case "create":
            let parsed = try Arguments(rest, valueOptions: ["tenant", "name", "redirect-uri", "auth-method", "scope", "type"])
            _ = try parsed.positionals()
            let tenant = try parsed.required("tenant")
            let name = try parsed.required("name")
            let redirects = parsed.all("redirect-uri")
            guard !redirects.isEmpty else { throw UsageError("--redirect-uri is required (repeat it for several)") }
            let method = parsed.value("auth-method") ?? "client_secret_basic"
            let registration = ClientRegistration(redirectURIs: redirects, tokenEndpointAuthMethod: method,
                                                  grantTypes: ["authorization_code", "refresh_token"], clientName: name,
                                                  scope: parsed.all("scope").isEmpty ? nil : parsed.all("scope").joined(separator: " "),
                                                  applicationType: parsed.value("type") ?? "web")
            let storage = try context.openStorage()
            defer { storage.close() }
            let scope = try context.tenant(tenant, in: storage)
            switch try ClientRegistry(storage: storage).register(registration, tenant: scope, kind: .preregistered) {
            case .failure(let failure):
                throw DeskError.invalid(field: failure.code, reason: failure.description)
            case .success(let registered):
                if context.json {
                    var document = json(registered.client)
                    document["client_secret"] = registered.secret ?? NSNull()
                    context.terminal.printJSON(document)
                    return
                }
                context.terminal.print("client_id: \(registered.client.clientID)")
                if let secret = registered.secret {
                    context.terminal.print("client_secret: \(secret)")
                    context.terminal.error("Copy the secret now: it will not be shown again.")
                }
            }
        case "list":
            let parsed = try Arguments(rest, valueOptions: ["tenant"])
            _ = try parsed.positionals()
            let tenant = try parsed.required("tenant")
            let storage = try context.openStorage()
            defer { storage.close() }
            let clients = try ClientRegistry(storage: storage).list(tenant: try context.tenant(tenant, in: storage))
            if context.json {
                context.terminal.printJSON(clients.map(json))
                return
            }
            context.terminal.printTable(["CLIENT ID", "KIND", "NAME", "AUTH", "REDIRECT URIS", "CREATED", "LAST USED"], clients.map {
                [$0.clientID, $0.kind.rawValue, $0.name.isEmpty ? "-" : $0.name, $0.tokenEndpointAuthMethod,
                 $0.redirectURIs.joined(separator: " "), day($0.createdAt), day($0.lastUsedAt)]
            })
        case "delete":
            let parsed = try Arguments(rest, valueOptions: ["tenant"])
            let clientID = try parsed.positionals("CLIENT_ID")[0]
            let tenant = try parsed.required("tenant")
            let storage = try context.openStorage()
            defer { storage.close() }
            try ClientRegistry(storage: storage).delete(clientID, tenant: try context.tenant(tenant, in: storage))
            if context.json {
                context.terminal.printJSON(["deleted": clientID])
            } else {
                context.terminal.print("deleted client \(clientID) and its authorizations")
            }
        case "purge":
            let parsed = try Arguments(rest, valueOptions: ["tenant", "idle-days"])
            _ = try parsed.positionals()
            let days = try parsed.integer("idle-days", default: context.configuration.oauth.clientIdleDays, range: 0...3650)
            let storage = try context.openStorage()
            defer { storage.close() }
            if let tenant = parsed.value("tenant") { _ = try context.tenant(tenant, in: storage) }
            let registry = ClientRegistry(storage: storage)
            let removed = try registry.purgeIdle(idleDays: days, tenant: parsed.value("tenant"))
            _ = try registry.sweepEnded()
            if context.json {
                context.terminal.printJSON(["purged": removed])
            } else {
                context.terminal.print("purged \(removed) client(s) unused for \(days) day(s)")
            }
        default:
            throw UsageError("unknown client action '\(action)'")
        }
    }

    static func day(_ milliseconds: Int64?) -> String {
        milliseconds.map { String(Timestamp.iso8601(milliseconds: $0).prefix(10)) } ?? "never"
    }

    /// Never the secret or its hash.
    static func json(_ client: OAuthClient) -> [String: Any] {
        ["client_id": client.clientID, "kind": client.kind.rawValue, "name": client.name,
         "redirect_uris": client.redirectURIs, "grant_types": client.grantTypes,
         "token_endpoint_auth_method": client.tokenEndpointAuthMethod, "application_type": client.applicationType.rawValue,
         "scope": client.scope, "created_at": Timestamp.iso8601(milliseconds: client.createdAt),
         "last_used_at": client.lastUsedAt.map { Timestamp.iso8601(milliseconds: $0) } as Any? ?? NSNull()]
    }
}
