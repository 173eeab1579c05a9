import DeskgateDesk
import DeskgateIdentity
import DeskgateSystem

enum KeyCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard let action = arguments.first else { throw UsageError("keys needs list, rotate or retire") }
        let parsed = try Arguments(Array(arguments.dropFirst()))
        switch action {
        case "list": _ = try parsed.positionals()
        case "rotate":
            _ = try parsed.positionals()
            let storage = try context.openStorage()
            defer { storage.close() }
            let (previous, current) = try SigningKeyService(storage: storage, directory: context.configuration.keysDirectory).rotate()
            if context.json {
                context.terminal.printJSON(["key_id": current, "previous_key_id": previous as Any])
            } else {
                context.terminal.print("Signing key \(current) is active." + (previous.map { " \($0) is retiring: it still verifies the tokens it signed." } ?? ""))
                context.terminal.print("Restart deskgate-auth to sign with the new key; retire the old one after an hour with 'deskgate keys retire KID'.")
            }
            return
        case "retire":
            let kid = try parsed.positionals("KID")[0]
            let storage = try context.openStorage()
            defer { storage.close() }
            try SigningKeyService(storage: storage, directory: context.configuration.keysDirectory).retire(kid: kid)
            if context.json {
                context.terminal.printJSON(["retired": true])
            } else {
                context.terminal.print("Signing key \(kid) is retired and no longer published.")
            }
            return
        default: throw UsageError("unknown keys action '\(action)'")
        }
        let storage = try context.openStorage()
        defer { storage.close() }
        let keys = try SigningKeyService(storage: storage, directory: context.configuration.keysDirectory).listAll()
        if context.json {
            context.terminal.printJSON(keys.map {
                ["kid": $0.kid, "alg": $0.alg, "state": $0.state.rawValue,
                 "created_at": Timestamp.iso8601(milliseconds: $0.createdAt)] as [String: Any]
            })
        } else {
            context.terminal.printTable(["KID", "ALG", "STATE", "CREATED"], keys.map {
                [$0.kid, $0.alg, $0.state.rawValue, Timestamp.iso8601(milliseconds: $0.createdAt)]
            })
        }
    }
}
