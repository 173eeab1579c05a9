import Testing
import DeskgateSystem
import DeskgateTesting
@testable import DeskgateHTTP
#if canImport(Glibc)
import Glibc
#endif

typealias RawClient = LoopbackClient

func occurrences(of needle: String, in text: String) -> Int {
    text.split(separator: needle, omittingEmptySubsequences: false).count - 1
}

/// A server on an ephemeral port without an access log, for the live tests.
func testServerConfiguration(loops: Int, workerThreads: Int) -> HTTPServer.Configuration {
    var configuration = HTTPServer.Configuration()
    configuration.port = 0
    configuration.loops = loops
    configuration.accessLog = false
    configuration.workerThreads = workerThreads
    return configuration
}

@Suite("Live server", .serialized)
struct LiveServerTests {
    static func start() throws -> HTTPServer {
        try HTTPServer.start(testServerConfiguration(loops: 2, workerThreads: 2)) { _ in
            let router = Router()
            router.get("/fast") { _, _ in .response(.text("fast")) }
            router.get("/slow") { _, context in
                context.offload {
                    usleep(150_000)
                    return .text("slow")
                }
            }
            router.get("/fail") { _, context in
                context.offload { throw HTTPError(.conflict, "taken") }
            }
            router.get("/stream") { _, context in
                context.stream(headers: HTTPHeaders([("Content-Type", "text/event-stream")])) { stream in
                    spawnThread(name: "test-stream") {
                        for n in 1...3 { stream.send(ServerSentEvent(data: "n\(n)")) }
                        stream.finish()
                    }
                }
            }
            return router
        }
    }

    @Test func pipelinedResponsesKeepRequestOrder() throws {
        let server = try Self.start()
        defer { server.shutdown(graceSeconds: 0); server.waitUntilStopped() }
        let client = try RawClient(port: server.port)
        defer { client.close() }
        client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /fast HTTP/1.1\r\nHost: t\r\n\r\nGET /fail HTTP/1.1\r\nHost: t\r\n\r\nGET /fast HTTP/1.1\r\nHost: t\r\n\r\n")
        let text = client.read { occurrences(of: "HTTP/1.1 ", in: $0) == 4 && $0.hasSuffix("fast") }
        // Bodies have no trailing CRLF, so a status line can follow a body directly.
        let statuses = text.split(separator: "HTTP/1.1 ", omittingEmptySubsequences: false).dropFirst().map { $0.prefix(3) }
        #expect(statuses == ["200", "200", "409", "200"])
        let bodies = ["slow", "fast", "taken", "fast"]
        var cursor = text.startIndex
        for body in bodies {
            guard let found = text[cursor...].firstRange(of: body) else {
                Issue.record("body \(body) missing or out of order")
                return
            }
            cursor = found.upperBound
        }
    }

    @Test func streamIsChunkedAndConnectionReusable() throws {
        let server = try Self.start()
        defer { server.shutdown(graceSeconds: 0); server.waitUntilStopped() }
        let client = try RawClient(port: server.port)
        defer { client.close() }
        client.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n")
        let text = client.read { $0.hasSuffix("0\r\n\r\n") }
        #expect(text.contains("Transfer-Encoding: chunked"))
        #expect(text.contains("data: n1\n\n") && text.contains("data: n3\n\n"))
        client.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(client.read { $0.hasSuffix("fast") }.hasSuffix("fast"))
    }

    @Test func parserErrorClosesConnection() throws {
        let server = try Self.start()
        defer { server.shutdown(graceSeconds: 0); server.waitUntilStopped() }
        let client = try RawClient(port: server.port)
        defer { client.close() }
        client.send("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
        let text = client.read { _ in false }
        #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(text.contains("Connection: close\r\n"))
    }

    @Test func shutdownFinishesInFlightRequest() throws {
        let server = try Self.start()
        let client = try RawClient(port: server.port)
        defer { client.close() }
        client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(30_000)
        server.shutdown(graceSeconds: 5)
        let text = client.read { _ in false }
        server.waitUntilStopped()
        #expect(text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(text.contains("Connection: close"))
        #expect(text.hasSuffix("slow"))
        #expect(throws: (any Error).self) { try RawClient(port: server.port) }
    }
}
