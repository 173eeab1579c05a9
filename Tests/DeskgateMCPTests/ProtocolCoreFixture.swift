import DeskgateConfig
import DeskgateDesk
import DeskgateIdentity
import DeskgateJSON
import DeskgateStore
import DeskgateModel
import Foundation
@testable import DeskgateMCP

/// A protocol core over a temporary database with one tenant and one agent, and no sockets.
final class ProtocolCoreFixture {
    let directory = NSTemporaryDirectory() + "deskgate-mcpcore-\(UUID().uuidString)"
    let database: Database
    let service: MCPService
    let reader: ReadHandle
    let tenant: Tenant
    /// An agent whose token holds `tickets:read` only.
    let readOnlyAgent: Caller

    init() throws {
        database = try Database.open(path: directory + "/db.sqlite")
        tenant = try TenantService(database: database).create(slug: "acme", name: "Acme")
        let agent = try DirectoryService(database: database, scope: tenant.scope)
            .createAgent(AgentDraft(email: "ada@acme.test", name: "Ada", role: .agent))
        readOnlyAgent = Caller(tenant: tenant, user: agent.user, tokenID: nil, clientID: nil, scopes: [.ticketsRead])
        service = try MCPService(storage: Storage(database), configuration: DeskgateConfiguration(), tools: HelpDeskTools.registry)
        reader = ReadHandle(try database.openReader())
    }

    deinit {
        database.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The core for a token-less party (sessions bound to user 0) or the read-only agent.
    func core(agent: Bool = false) -> MCPProtocolCore {
        MCPProtocolCore(service: service, party: agent ? .caller(readOnlyAgent) : .tenantOnly(tenant))
    }

    /// A handshake session of the token-less party, as `initialize` would open it.
    func session(_ version: String) -> String {
        service.sessions.open(tenantID: tenant.id, userID: 0, protocolVersion: version)
    }

    func answer(_ body: String, _ fields: HeaderTable = HeaderTable(), carrier: SessionCarrier = .sessionHeader,
                agent: Bool = false) throws -> MCPAnswer {
        try reader.snapshot {
            core(agent: agent).answer(try JSONParser.parse(body), fields: fields, carrier: carrier, reader: reader)
        }
    }
}

/// Header fields as a table, standing in for an HTTP request's.
struct HeaderTable: MCPHeaderFields, ExpressibleByDictionaryLiteral {
    var values: [MCPHeaderField: String] = [:]

    init(dictionaryLiteral elements: (MCPHeaderField, String)...) {
        values = Dictionary(uniqueKeysWithValues: elements)
    }

    func value(of field: MCPHeaderField) -> String? { values[field] }
    func value(of field: MCPHeaderField, equals expected: String) -> Bool { values[field] == expected }
}

extension MCPAnswer {
    /// One line per answer, for table rows: the kind of answer and its exact JSON-RPC bytes.
    var summary: String {
        switch self {
        case .nothing: return "nothing"
        case .offload: return "offload"
        case .offloadMayAsk: return "offloadMayAsk"
        case .awaitingApproval(let wait, _): return "awaitingApproval " + wait.request.text
        case .stepUp(let stepUp): return "stepUp \(stepUp.scope) " + (message?.text ?? "")
        case .initialized(_, _, let handshake):
            return "initialized \(handshake.version) session:\(handshake.sessionID != nil) " + (message?.text ?? "")
        case .error(let error, _): return "error \(error.kind) " + (message?.text ?? "")
        case .result, .encodedResult, .batch: return message?.text ?? ""
        }
    }
}
