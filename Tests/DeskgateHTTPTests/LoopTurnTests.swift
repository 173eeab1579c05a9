import Synchronization
import Testing
import DeskgateTesting
@testable import DeskgateHTTP
#if canImport(Glibc)
import Glibc
#endif

/// The loop reads everything ready, serves it, then ends the turn (`Router.atEndOfTurn`):
/// what `TurnSnapshot` relies on to share one read transaction per turn.
@Suite("Loop turns", .serialized)
struct LoopTurnTests {
    final class Events: Sendable {
        private let log = Mutex<[String]>([])
        let serverPort = Atomic<Int>(0)
        func add(_ event: String) { log.withLock { $0.append(event) } }
        var all: [String] { log.withLock { $0 } }
    }

    /// Server-side sockets of this process (local port `port`, connected) with bytes not yet read.
    static func unreadServerSockets(port: Int) -> Int {
        var unread = 0
        for fd in Int32(3)..<Int32(512) {
            var local = sockaddr_in(), peer = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let isLocal = withUnsafeMutablePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
            }
            guard isLocal, local.sin_family == sa_family_t(AF_INET), Int(UInt16(bigEndian: local.sin_port)) == port else { continue }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let connected = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) == 0 }
            }
            var pending: Int32 = 0
            if connected && ioctl(fd, UInt(FIONREAD), &pending) == 0 && pending > 0 { unread += 1 }
        }
        return unread
    }

    static func start(_ events: Events) throws -> HTTPServer {
        try HTTPServer.start(testServerConfiguration(loops: 1, workerThreads: 1)) { _ in
            let router = Router()
            router.get("/{name}") { request, _ in
                let name = request.pathParameters["name"] ?? "?"
                // Holding the loop lets the other connections' requests queue up behind it.
                if name == "hold" { usleep(200_000) }
                events.add(name)
                if name.hasSuffix("2") { events.add("unread:\(Self.unreadServerSockets(port: events.serverPort.load(ordering: .relaxed)))") }
                return .response(.text(name))
            }
            router.atEndOfTurn { events.add("end") }
            return router
        }
    }

    @Test func pipelinedRequestsShareOneTurn() throws {
        let events = Events()
        let server = try Self.start(events)
        defer { server.shutdown(graceSeconds: 0); server.waitUntilStopped() }
        let client = try LoopbackClient(port: server.port)
        defer { client.close() }
        client.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = client.read { occurrences(of: "HTTP/1.1 200", in: $0) == 2 && $0.hasSuffix("b") }
        let log = events.all
        guard let a = log.firstIndex(of: "a"), let b = log.firstIndex(of: "b") else {
            Issue.record("requests not served: \(log)")
            return
        }
        #expect(a < b)
        #expect(!log[a..<b].contains("end"), "a turn ended between two requests read together: \(log)")
        #expect(log[b...].contains("end"), "no turn end after the requests: \(log)")
    }

    /// Two requests arrive while the loop is busy; the first one served must find the other
    /// already read (no server socket with unread bytes), and both served before the turn ends.
    @Test func requestsReadyTogetherAreAllReadBeforeAnyIsServed() throws {
        let events = Events()
        let server = try Self.start(events)
        defer { server.shutdown(graceSeconds: 0); server.waitUntilStopped() }
        events.serverPort.store(server.port, ordering: .relaxed)
        let holder = try LoopbackClient(port: server.port)
        let first = try LoopbackClient(port: server.port)
        let second = try LoopbackClient(port: server.port)
        defer { holder.close(); first.close(); second.close() }
        // Both connections are accepted (and idle) before the loop is held.
        first.send("GET /x1 HTTP/1.1\r\nHost: t\r\n\r\n")
        second.send("GET /y1 HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = first.read { $0.hasSuffix("x1") }
        _ = second.read { $0.hasSuffix("y1") }
        holder.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(50_000)
        first.send("GET /x2 HTTP/1.1\r\nHost: t\r\n\r\n")
        second.send("GET /y2 HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = holder.read { $0.hasSuffix("hold") }
        _ = first.read { $0.hasSuffix("x2") }
        _ = second.read { $0.hasSuffix("y2") }
        let log = events.all
        guard let x = log.firstIndex(of: "x2"), let y = log.firstIndex(of: "y2"), let hold = log.firstIndex(of: "hold") else {
            Issue.record("requests not served: \(log)")
            return
        }
        let (early, late) = (min(x, y), max(x, y))
        #expect(hold < early)
        #expect(!log[early..<late].contains("end"), "requests ready together were served in two turns: \(log)")
        #expect(log.filter { $0.hasPrefix("unread:") } == ["unread:0", "unread:0"], "served before reading everything: \(log)")
    }
}
