import DeskgateDesk
import DeskgateIdentity
import DeskgateModel

enum InitCommand {
    /// `deskgate init`: database with migrations, and a signing key published in it.
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        _ = try Arguments(arguments).positionals()
        let storage = try context.openStorage(create: true)
        defer { storage.close() }
        let keys = SigningKeyService(storage: storage, directory: context.configuration.keysDirectory)
        let outcome = try keys.ensureKey()
        let (keyID, created): (String, Bool)
        switch outcome {
        case .created(let id): (keyID, created) = (id, true)
        case .existing(let id): (keyID, created) = (id, false)
        }
        if context.json {
            context.terminal.printJSON(["database": storage.path, "key_id": keyID, "key_created": created,
                                        "key_file": keys.keyPath])
        } else {
            context.terminal.print("Database \(storage.path) is ready.")
            context.terminal.print(created ? "Created signing key \(keyID) in \(keys.keyPath) (mode 0600)."
                                           : "Signing key \(keyID) in \(keys.keyPath) is published.")
        }
    }

    /// `deskgate migrate`: opening the database applies pending migrations.
    static func migrate(_ arguments: [String], _ context: CommandContext) throws {
        _ = try Arguments(arguments).positionals()
        let storage = try context.openStorage(create: true)
        storage.close()
        if context.json {
            context.terminal.printJSON(["database": storage.path, "migrated": true])
        } else {
            context.terminal.print("Database \(storage.path) is at the latest schema.")
        }
    }
}
