import DeskgateConfig
import DeskgateDesk
import DeskgateHTTP
import DeskgateServer
import DeskgateIdentity
import DeskgateModel
import DeskgateSystem
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The MCP resource server process: Streamable HTTP on `/t/{tenant}/mcp`, RFC 9728 metadata,
/// personal access tokens, and the ticket tools.
public enum MCPServer {
    public static func main(arguments: [String], environment: [String: String]) -> Never {
        if arguments.contains("--stdio") { StdioTransport.run(arguments: arguments, environment: environment) }
        let shared = Mutex<MCPService?>(nil)
        ServerRuntime.run(program: .mcp, arguments: arguments, environment: environment, beforeExit: { storage in
            // Last-used times noted since the last periodic flush.
            if let service = shared.withLock({ $0 }) {
                _ = try? service.authenticator.flushUsage(storage: storage)
                _ = try? service.accessTokens.flushUsage(storage: storage)
                _ = try? service.usage.sync(storage: storage)
                do { try service.audit.flush(storage: storage) } catch {
                    Log.error("audit_flush_failed", ["error": .string(String(describing: error)), "pending": .int(service.audit.pending)])
                }
            }
        }) { server, router in
            let service = shared.withLock { existing -> MCPService in
                if let existing { return existing }
                let created: MCPService
                do {
                    created = try MCPService(storage: server.storage, configuration: server.configuration,
                                             tools: ServedTools.registry(environment: environment))
                } catch {
                    Console.fail("deskgate-mcp", "cannot start: \(error)")
                }
                startUsageFlusher(created)
                startAuditFlusher(created)
                existing = created
                return created
            }
            do {
                // Each loop keeps its own read connection for point reads (tenant, token, ticket).
                MCPHTTPEndpoint(service: service, turn: try ReadTurn(storage: server.storage)).install(on: router)
            } catch {
                Log.error("reader_open_failed", ["error": .string(String(describing: error))])
            }
        }
    }

    /// The audit log (docs/audit.md): reads' rows are written once a second in one transaction
    /// (writes flush their own before answering), and once a day each tenant's rows older than
    /// its retention are deleted, the first sweep a minute after start.
    static func startAuditFlusher(_ service: MCPService) {
        spawnThread(name: "mcp-audit") {
            var nextSweep = WallClock.milliseconds() + 60_000
            while true {
                usleep(1_000_000)
                do { try service.audit.flush(storage: service.storage) } catch {
                    Log.error("audit_flush_failed", ["error": .string(String(describing: error)), "pending": .int(service.audit.pending)])
                }
                let now = WallClock.milliseconds()
                guard now >= nextSweep else { continue }
                nextSweep = now + 86_400_000
                do {
                    let deleted = try AuditLog.sweep(storage: service.storage, now: now)
                    if deleted > 0 { Log.info("audit_swept", ["deleted": .int(deleted)]) }
                } catch {
                    Log.error("audit_sweep_failed", ["error": .string(String(describing: error))])
                }
            }
        }
    }

    /// Token last-used times are written in one transaction every 30 s, not once per request.
    private static func startUsageFlusher(_ service: MCPService) {
        spawnThread(name: "token-usage") {
            while true {
                sleep(30)
                _ = try? service.authenticator.flushUsage(storage: service.storage)
                _ = try? service.accessTokens.flushUsage(storage: service.storage)
            }
        }
        // Limits hold across processes through this sync (docs/limits.md: the overshoot bound).
        spawnThread(name: "mcp-usage") {
            while true {
                usleep(1_000_000)
                do { try service.usage.sync(storage: service.storage) } catch {
                    Log.error("usage_sync_failed", ["error": .string(String(describing: error))])
                }
            }
        }
    }
}
