import DeskgateConfig
import DeskgateDesk
import DeskgateIdentity
import DeskgateServer
import DeskgateJSON
import DeskgateStore
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
        let database: Database
        let reader: SQLiteConnection
        do {
            database = try Database.open(path: configuration.databasePath, configuration: configuration.databaseSettings)
            reader = try database.openReader()
        } catch {
            Console.fail("deskgate-mcp", "cannot open database \(configuration.databasePath): \(error)")
        }
        let session = StdioSession(service: MCPService(database: database, configuration: configuration,
                                                       tools: HelpDeskTools.registry),
                                   reader: reader, tenant: tenant, token: token)
        Log.info("stdio_ready", ["tenant": .string(tenant)])
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy(\.isWhitespace) { continue }
            if let answer = session.handle(line) {
                var bytes = answer.encoded()
                bytes.append(0x0A)
                Log.writeAll(bytes, to: 1)
            }
        }
        _ = try? session.service.authenticator.flushUsage(database: database)
        database.close()
        exit(0)
    }
}

/// The state of one stdio connection: its negotiated version once `initialize` ran.
final class StdioSession {
    let service: MCPService
    let reader: SQLiteConnection
    let tenant: String
    let token: String
    private var handshakeVersion: String?

    init(service: MCPService, reader: SQLiteConnection, tenant: String, token: String) {
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
        let message: JSONRPCMessage
        switch JSONRPCMessage.decode(body) {
        case .failure(let failure): return JSONRPCResponse.error(failure.error, id: failure.id)
        case .success(let decoded): message = decoded
        }
        do {
            return try reader.snapshot { try answer(message) }
        } catch {
            return JSONRPCResponse.error(.internalError("the database is unavailable"), id: message.id)
        }
    }

    private func answer(_ message: JSONRPCMessage) throws -> JSONValue? {
        let caller: Caller
        switch service.caller(for: token, tenantSlug: tenant, on: reader) {
        case .success(let verified): caller = verified
        case .failure(.invalid(let description)):
            // The tenant's refusal outranks the token's: an unknown or suspended help desk gets
            // the same answer whatever token came with it (and only a failure pays the lookup).
            if let refusal = TenantRefusal(try TenantGate().decide(tenant, on: reader), slug: tenant) {
                return JSONRPCResponse.error(refusal.rpcError, id: message.id)
            }
            return JSONRPCResponse.error(RPCError(code: -32001, message: "Unauthorized: \(description)"), id: message.id)
        case .failure(.tenantSuspended):
            return JSONRPCResponse.error(TenantRefusal.suspended(slug: tenant).rpcError, id: message.id)
        case .failure(.unavailable):
            return JSONRPCResponse.error(.internalError("the database is unavailable"), id: message.id)
        }
        switch message {
        case .response:
            return nil
        case .notification(let method, let params):
            _ = MCPDispatcher(service: service, party: .caller(caller), era: era(params)).handleNotification(method: method, params: params)
            return nil
        case .request(let id, "initialize", let params):
            guard case .string(let requested)? = params["protocolVersion"] else {
                return JSONRPCResponse.error(.invalidParams("initialize needs params.protocolVersion"), id: id)
            }
            let dispatcher = MCPDispatcher(service: service, party: .caller(caller), era: .handshake(version: requested, sessionID: nil))
            let (version, result) = dispatcher.initializeResult(requested: requested)
            handshakeVersion = version
            return JSONRPCResponse.result(result, id: id)
        case .request(let id, let method, let params):
            let era = self.era(params)
            if case .modern(let version) = era, !ProtocolVersion.modern.contains(version) {
                return JSONRPCResponse.error(.unsupportedVersion(version), id: id)
            }
            if case .handshake = era, handshakeVersion == nil, method != "ping" {
                return JSONRPCResponse.error(.invalidRequest("send initialize first (or use the 2026-07-28 _meta envelope)"), id: id)
            }
            var outcome = MCPDispatcher(service: service, party: .caller(caller), era: era).handle(id: id, method: method, params: params,
                                                                                           reader: reader)
            // One client, one message at a time: worker-bound tools simply run here.
            if case .onWorker(let work) = outcome { outcome = work(reader) }
            switch outcome {
            case .result(let result): return JSONRPCResponse.result(result, id: id)
            case .encodedResult(let encoded): return JSONRPCResponse.result(encoded.value, id: id)
            case .error(let error): return JSONRPCResponse.error(error, id: id)
            case .scopeRequired(let scope, let description):
                return JSONRPCResponse.error(RPCError(code: -32600, message: "Insufficient scope (\(scope)): \(description)"), id: id)
            case .accepted, .onWorker: return nil
            }
        }
    }

    private func era(_ params: JSONObject) -> Era {
        if case .string(let version)? = params["_meta"]?[ProtocolVersion.protocolVersionKey] { return .modern(version: version) }
        return .handshake(version: handshakeVersion ?? ProtocolVersion.assumedWithoutHeader, sessionID: nil)
    }
}

extension JSONRPCMessage {
    var id: RequestID? {
        switch self {
        case .request(let id, _, _), .response(let id): return id
        case .notification: return nil
        }
    }
}
