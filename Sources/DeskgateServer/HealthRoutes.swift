import DeskgateHTTP
import DeskgateJSON
import DeskgateIdentity

/// `/healthz`: the process answers. `/readyz`: it can also reach its database.
enum HealthRoutes {
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
