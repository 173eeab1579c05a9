import DeskgateHTTP
import DeskgateTesting
import Testing

/// The in-process client answers as the server would: the router's own 404/405, replies now,
/// from the worker pool, from a task, and streams; and a reply that never comes is a timeout.
@Suite("In-process client")
struct InProcessClientTests {
    static func router() -> Router {
        let router = Router()
        router.get("/now/{name}") { request, _ in .response(.text("hello \(request.parameter("name"))")) }
        router.post("/offloaded") { request, context in context.offload { .text("got \(request.bodyText)") } }
        router.get("/task") { _, context in context.run { .text("from a task", status: .accepted) } }
        router.get("/failing") { _, context in context.offload { throw HTTPError(.conflict, "no") } }
        router.get("/never") { _, context in context.later { _ in } }
        router.get("/events") { _, context in
            context.stream(headers: HTTPHeaders([("Content-Type", "text/event-stream")])) { stream in
                stream.send(ServerSentEvent(data: "one"))
                stream.send(ServerSentEvent(event: "end", data: "two"))
                stream.finish()
            }
        }
        return router
    }

    @Test(arguments: [
        ("GET", "/now/ada", 200, "hello ada"),
        ("HEAD", "/now/ada", 200, ""),
        ("POST", "/now/ada", 405, "method POST not allowed\n"),
        ("GET", "/nowhere", 404, "not found\n"),
        ("GET", "/task", 202, "from a task"),
        ("GET", "/failing", 409, "no\n"),
        ("GET", "/events", 200, "data: one\n\nevent: end\ndata: two\n\n"),
    ])
    func answers(method: String, target: String, status: Int, body: String) async throws {
        let response = try await InProcessClient(router: Self.router()).execute(method, target)
        #expect(response.status.code == status)
        #expect(response.bodyText == body)
    }

    @Test func methodNotAllowedListsTheMethods() async throws {
        let response = try await InProcessClient(router: Self.router()).post("/now/ada", form: [])
        #expect(response.headers["allow"] == "GET, HEAD")
    }

    @Test func offloadedWorkSeesTheBody() async throws {
        let response = try await InProcessClient(router: Self.router()).post("/offloaded", form: [("a", "b c")])
        #expect(response.bodyText == "got a=b%20c")
    }

    @Test func aReplyThatNeverComesTimesOut() async throws {
        let client = InProcessClient(router: Self.router(), timeoutSeconds: 0.2)
        await #expect(throws: InProcessClient.Timeout.self) { try await client.get("/never") }
    }
}
