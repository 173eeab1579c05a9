import DeskgateHTTP
import DeskgateTesting
import Synchronization
import Testing

/// `Router.unmatchedPath` (custom domains): asked only when a path matches no route; a rewrite
/// it makes is routed, and `routedHost` reaches the handler.
@Suite("Router: unmatched paths")
struct UnmatchedPathTests {
    final class Calls: Sendable { let count = Atomic<Int>(0) }

    static func router(_ calls: Calls) -> Router {
        let router = Router()
        router.get("/t/{tenant}/mcp") { request, _ in
            .response(.text("\(request.parameter("tenant")) \(request.routedHost ?? "-") \(request.path)"))
        }
        router.get("/healthz") { _, _ in .response(.text("ok")) }
        router.unmatchedPath = { request in
            calls.count.add(1, ordering: .relaxed)
            guard request.headers["host"] == "help.acme.example", request.path == "/mcp" else { return false }
            request.path = "/t/acme/mcp"
            request.routedHost = "help.acme.example"
            return true
        }
        return router
    }

    @Test(arguments: [
        ("/t/globex/mcp", "help.acme.example", 200, "globex - /t/globex/mcp", 0),
        ("/healthz", "help.acme.example", 200, "ok", 0),
        ("/mcp", "help.acme.example", 200, "acme help.acme.example /t/acme/mcp", 1),
        ("/mcp", "other.example", 404, "not found\n", 1),
        ("/nothing", "help.acme.example", 404, "not found\n", 1),
    ])
    func routing(_ target: String, _ host: String, _ status: Int, _ body: String, _ asked: Int) async throws {
        let calls = Calls()
        let response = try await InProcessClient(router: Self.router(calls)).get(target, headers: [("Host", host)])
        #expect(response.status.code == status)
        #expect(response.bodyText == body)
        #expect(calls.count.load(ordering: .relaxed) == asked)
    }
}
