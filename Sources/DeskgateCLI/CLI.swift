import DeskgateIdentity
import DeskgateConfig
import DeskgateDesk
import DeskgateModel
import Foundation

/// The operator CLI. `run` returns the exit status so tests can drive it in-process.
public enum CLI {
    public static func run(arguments: [String], environment: [String: String], terminal: Terminal) -> Int32 {
        var arguments = arguments
        let json = arguments.contains("--json")
        arguments.removeAll { $0 == "--json" }
        do {
            let (configuration, rest) = try ConfigurationLoader.load(program: .cli, arguments: arguments, environment: environment)
            let context = CommandContext(configuration: configuration, environment: environment, terminal: terminal, json: json)
            guard let command = rest.first, command != "help", command != "--help", command != "-h" else {
                terminal.print(usage)
                return rest.isEmpty ? 2 : 0
            }
            let tail = Array(rest.dropFirst())
            switch command {
            case "init": try InitCommand.run(tail, context)
            case "migrate": try InitCommand.migrate(tail, context)
            case "store": try StoreCommands.run(tail, context)
            case "backup": try BackupCommands.backup(tail, context)
            case "restore": try BackupCommands.restore(tail, context)
            case "tenant": try TenantCommands.run(tail, context)
            case "department": try DepartmentCommands.run(tail, context)
            case "user": try UserCommands.run(tail, context)
            case "token": try TokenCommands.run(tail, context)
            case "keys": try KeyCommands.run(tail, context)
            case "client": try ClientCommands.run(tail, context)
            case "app": try AppCommands.run(tail, context)
            case "audit": try AuditCommands.run(tail, context)
            case "demo": try DemoCommand.run(tail, context)
            case "workflow": try WorkflowCommands.run(tail, context)
            case "up": return try UpCommand.run(tail, context)
            case "serve": try ServeCommand.run(tail, context)
            case "debug": try DebugCommands.run(tail, context)
            default: throw UsageError("unknown command '\(command)'")
            }
            return 0
        } catch let error as UsageError {
            terminal.error("deskgate: \(error)\nRun 'deskgate help' for usage.")
            return 2
        } catch let error as ConfigurationError {
            terminal.error("deskgate: \(error)")
            return 2
        } catch {
            terminal.error("deskgate: \(error)")
            return 1
        }
    }

    static let usage = """
        Usage: deskgate [--database PATH] [--keys DIR] [--config FILE] [--json] COMMAND

        Commands:
          init                                   create the database and a signing key (idempotent)
          migrate                                apply database migrations
          store copy [--from SOURCE] --to TARGET copy the whole database into an empty one (a file
                                                 path or postgres:// URL; SOURCE: --database),
                                                 e.g. SQLite to PostgreSQL and back
          store grant-server-role ROLE           PostgreSQL: give ROLE what the servers need, so
                                                 that connecting them as ROLE puts them behind
                                                 row-level security (run as the tables' owner)
          backup --to FILE                       SQLite: copy the live database into a new file
                                                 (online backup API; servers keep serving)
          restore --from FILE [--force]          SQLite: replace the database with a backup, after
                                                 integrity and schema checks; --force to replace
                                                 one that holds data or is being served
          up [--tls]                             init, demo data if empty, run both servers (Ctrl-C stops);
                                                 --tls: HTTPS with a self-signed dev certificate in keys/
          serve auth|mcp [--host H] [--port P]   run one server in the foreground
          tenant create SLUG --name NAME         create a tenant
          tenant list | suspend SLUG | resume SLUG
          tenant settings SLUG [--tool-families helpdesk,workflow] [--read-only on|off]
                               [--access-token-argument on|off]
                               [--limit-departments NAME,...] [--limit-tags NAME,...]
                               [--limit-writes on|off] [--deny-tools NAME,...]
                               [--allow-apps CLIENT_ID|HOST,...] [--approval none|destructive|writes]
                               [--rate N] [--tenant-rate N] [--write-quota N] [--tenant-write-quota N]
                               [--audit-retention-days N]
                                                 MCP settings: which tool families, read-only mode,
                                                 tokens also taken as a tool argument, the data
                                                 limit (what MCP may see; "" clears a part), tools
                                                 turned off by name ("" turns them all back on),
                                                 the apps allowed to ask for access ("" any app),
                                                 which writes wait for a person's approval,
                                                 requests a minute and writes an hour per token
                                                 and for the help desk (0: no limit), how many
                                                 days the MCP audit log is kept (0: forever)
          tenant host add SLUG HOST              custom domain: requests to HOST reach the tenant
                                                 without /t/SLUG, with issuer and resource on HOST
          tenant host remove SLUG HOST | list [SLUG]
          department create --tenant SLUG NAME   create a department
          department list --tenant SLUG
          user create --tenant SLUG --email E --name N --role admin|agent|viewer
                      [--department NAME]... [--password-stdin] [--alias A] [--label L] [--lang en] [--phone P]
          user list --tenant SLUG
          user update --tenant SLUG --email E [--alias A] [--label L] [--lang en] [--phone P]
                                                 change a user's profile ("" clears a part)
          user role --tenant SLUG --email E --role admin|agent|viewer
          user deactivate --tenant SLUG --email E   (revokes their tokens, apps and sessions)
          token create --tenant SLUG --user EMAIL [--name N] [--scope S]... [--expires-in-days D] [--approval destructive|writes]
                                                 create a personal access token (shown once)
          token list --tenant SLUG [--user EMAIL]
          token revoke --tenant SLUG ID
          client create --tenant SLUG --name N --redirect-uri URI... [--auth-method none|client_secret_basic|client_secret_post]
                        [--scope S]... [--type web|native]   pre-register an OAuth client (secret shown once)
          client list --tenant SLUG | delete --tenant SLUG CLIENT_ID
          client purge [--tenant SLUG] [--idle-days D]   delete registered clients unused for D days, with their grants
          app list --tenant SLUG [--user EMAIL]  authorized apps (OAuth grants): client, scopes, approved, last used
          app revoke --tenant SLUG ID            revoke an authorized app and every token issued to it
          audit export --tenant SLUG [--since ISO8601|7d] [--until ISO8601|1h] [--format csv|jsonl]
                       [--agent EMAIL] [--tool NAME] [--outcome ok|tool_error|refused|error] [--out FILE]
                                                 the MCP audit log, oldest first (stdout by default;
                                                 docs/audit.md describes every field)
          audit sweep                            delete audit rows older than each tenant's retention
                                                 (deskgate-mcp does it daily)
          keys list | rotate | retire KID        signing keys: list, replace (old one keeps verifying), stop publishing
          demo [--tenant SLUG] [--tickets N] [--workflow-tickets N]
                                                 create a demo tenant with realistic tickets
          workflow import --tenant SLUG FILE.json   add a workflow, or a new version of it (docs/workflows.md)
          workflow list --tenant SLUG
          workflow export --tenant SLUG NAME|ID [--version N]

        Settings: flags override DESKGATE_* environment variables, which override the
        config file (--config, DESKGATE_CONFIG). Database default: var/deskgate.sqlite.
        """
}

/// What every command receives.
struct CommandContext {
    let configuration: DeskgateConfiguration
    let environment: [String: String]
    let terminal: Terminal
    let json: Bool

    /// Opens (and migrates) the database. Only `init`, `demo` and `up` may create it:
    /// elsewhere a missing file, or a PostgreSQL database without Deskgate's tables, is a
    /// mistyped path or URL, not a wish for an empty database.
    func openStorage(create: Bool = false) throws -> Storage {
        let path = configuration.databasePath
        if !create, try !Storage.exists(path) {
            throw DeskError.notFound("database \(Storage.printable(path)) (run 'deskgate init' first)")
        }
        return try Storage.open(path: path)
    }

    func tenant(_ slug: String, in storage: Storage) throws -> Tenant {
        try TenantService(storage: storage).find(slug)
    }
}
