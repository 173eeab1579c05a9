import Testing
import DeskgateSystem
@testable import DeskgateHTTP
#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback client on raw sockets: enough to drive the server from inside the test process.
struct RawClient {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 { throw SystemError(call: "connect", code: errno) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until `predicate` holds on what arrived, the peer closes, or the timeout passes.
    func read(until predicate: (String) -> Bool) -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !predicate(String(decoding: received, as: UTF8.self)) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: received, as: UTF8.self)
    }

    func close() { Glibc.close(fd) }
}

func occurrences(of needle: String, in text: String) -> Int {
    text.split(separator: needle, omittingEmptySubsequences: false).count - 1
}

@Suite("Live server", .serialized)
struct LiveServerTests {
    static func start() throws -> HTTPServer {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.loops = 2
        configuration.accessLog = false
        configuration.workerThreads = 2
        return try HTTPServer.start(configuration) { _ in
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
