import DeskgateHTTP
import DeskgateJSON
import DeskgateIdentity
import DeskgateMetrics

/// `/healthz`: the process answers. `/readyz`: it can also reach its database. `/metrics`:
/// the Prometheus exposition, unless it has a listener of its own (`--metrics-listen`).
enum HealthRoutes {
    static func installMetrics(on router: Router) {
        router.get("/metrics") { _, _ in
            var headers = HTTPHeaders()
            headers.add("Content-Type", MetricsRegistry.contentType)
            headers.add("Cache-Control", "no-store")
            return .response(Response(status: .ok, headers: headers, body: Metrics.registry.exposition()))
        }
    }

    static func install(on router: Router, storage: Storage) {
        router.get("/healthz") { _, _ in .response(.json(["status": "ok"])) }
        router.get("/readyz") { _, context in
            // Reading the schema cookie touches the file; on the worker pool so a wedged
            // disk cannot stall the loop, on its reserved lane so slow reads cannot delay it.
            context.offload(lane: .reserved) {
                do {
                    try storage.probe()
                    return .json(["status": "ready"])
                } catch {
                    return .json(["status": "unavailable", "reason": "database unreachable"], status: .serviceUnavailable)
                }
            }
        }
    }
}
