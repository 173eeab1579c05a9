import DeskgateConfig
import DeskgateDesk
import DeskgateIdentity
import DeskgateServer
import DeskgateJSON
import DeskgateModel
import DeskgateSystem
#if canImport(Glibc)
import Glibc
#endif

/// MCP over stdio: one JSON-RPC message per line on stdin, answers on stdout, logs on stderr.
/// For tools that launch the server themselves (Claude Desktop's local servers). The token
/// comes from `DESKGATE_ACCESS_TOKEN` and is checked again for every message, so a revoked
/// token stops working at the next call here too.
enum StdioTransport {
    static func run(arguments: [String], environment: [String: String]) -> Never {
        StandardIO.lineBuffer()
        var rest = arguments.filter { $0 != "--stdio" }
        var tenant = environment["DESKGATE_TENANT"]
        if let index = rest.firstIndex(of: "--tenant") {
            guard index + 1 < rest.count else { Console.fail("deskgate-mcp", "--tenant needs a value", status: 2) }
            tenant = rest[index + 1]
            rest.removeSubrange(index...(index + 1))
        }
        guard let tenant, !tenant.isEmpty else {
            Console.fail("deskgate-mcp", "stdio mode needs the tenant: --tenant SLUG or DESKGATE_TENANT", status: 2)
        }
        guard let token = environment["DESKGATE_ACCESS_TOKEN"], !token.isEmpty else {
            Console.fail("deskgate-mcp", "stdio mode needs a token in DESKGATE_ACCESS_TOKEN", status: 2)
        }
        let configuration: DeskgateConfiguration
        do {
            let (loaded, unknown) = try ConfigurationLoader.load(program: .mcp, arguments: rest, environment: environment)
            if let first = unknown.first { Console.fail("deskgate-mcp", "unknown argument '\(first)'", status: 2) }
            configuration = loaded
        } catch {
            Console.fail("deskgate-mcp", String(describing: error), status: 2)
        }
        let storage: Storage
        let reader: ReadHandle
        do {
            storage = try Storage.open(path: configuration.databasePath, settings: configuration.storageSettings)
            reader = try storage.openReader()
        } catch {
            Console.fail("deskgate-mcp", "cannot open database \(Storage.printable(configuration.databasePath)): \(error)")
        }
        let service: MCPService
        do {
            service = try MCPService(storage: storage, configuration: configuration, tools: HelpDeskTools.registry)
        } catch {
            Console.fail("deskgate-mcp", "cannot start: \(error)")
        }
        MCPServer.startAuditFlusher(service)
        let session = StdioSession(service: service, reader: reader, tenant: tenant, token: token)
        Log.info("stdio_ready", ["tenant": .string(tenant)])
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy(\.isWhitespace) { continue }
            if let answer = session.handle(line) {
                var bytes = answer.encoded()
                bytes.append(0x0A)
                Log.writeAll(bytes, to: 1)
            }
        }
        _ = try? session.service.authenticator.flushUsage(storage: storage)
        _ = try? session.service.audit.flush(storage: storage)
        storage.close()
        exit(0)
    }
}

/// One stdio connection: its token, and the version its `initialize` negotiated (the process is
/// the session). It checks the credential for each line and leaves the protocol to the core.
final class StdioSession {
    let service: MCPService
    let reader: ReadHandle
    let tenant: String
    let token: String
    private var handshakeVersion: String?

    init(service: MCPService, reader: ReadHandle, tenant: String, token: String) {
        self.service = service
        self.reader = reader
        self.tenant = tenant
        self.token = token
    }

    /// The answer to one line, or nil for notifications and client responses.
    func handle(_ line: String) -> JSONValue? {
        let body: JSONValue
        do {
            body = try JSONParser.parse(line)
        } catch {
            return JSONRPCResponse.error(.parse(error.description), id: nil)
        }
        do {
            return try reader.snapshot { try answer(body) }.message
        } catch {
            return MCPProtocolCore.refusal(.internalError("the database is unavailable"), to: body).message
        }
    }

    private func answer(_ body: JSONValue) throws -> MCPAnswer {
        let caller: Caller
        switch service.caller(for: token, tenantSlug: tenant, on: reader) {
        case .success(let verified): caller = verified
        case .failure(.invalid(let description)):
            // The tenant's refusal outranks the token's: an unknown or suspended help desk gets
            // the same answer whatever token came with it (and only a failure pays the lookup).
            if let refusal = TenantRefusal(try TenantGate().decide(tenant, on: reader), slug: tenant) {
                return MCPProtocolCore.refusal(refusal.rpcError, to: body)
            }
            return MCPProtocolCore.refusal(RPCError(code: -32001, message: "Unauthorized: \(description)"), to: body)
        case .failure(.tenantSuspended):
            return MCPProtocolCore.refusal(TenantRefusal.suspended(slug: tenant).rpcError, to: body)
        case .failure(.unavailable):
            return MCPProtocolCore.refusal(.internalError("the database is unavailable"), to: body)
        }
        // One client, one message at a time: worker-bound work simply runs here.
        let answer = MCPProtocolCore(service: service, party: .caller(caller))
            .answer(body, fields: NoHeaderFields(), carrier: .process(negotiated: handshakeVersion), reader: reader)
            .finished(on: reader)
        if case .initialized(_, _, let handshake) = answer { handshakeVersion = handshake.version }
        return answer
    }
}
