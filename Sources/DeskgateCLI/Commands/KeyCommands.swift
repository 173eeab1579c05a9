import DeskgateDesk
import DeskgateSystem

enum KeyCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        guard arguments.first == "list" else { throw UsageError("keys needs list") }
        _ = try Arguments(Array(arguments.dropFirst())).positionals()
        let database = try context.openDatabase()
        defer { database.close() }
        let keys = try SigningKeyService(database: database, directory: context.configuration.keysDirectory).publishedKeys()
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
