import Dispatch
import Testing
import DeskgateSystem
import DeskgateTesting
@testable import DeskgateHTTP
#if canImport(Glibc)
import Glibc
#endif

/// A client that closes an event stream frees it at once: the loop sees the end of input
/// (EPOLLRDHUP, a read of 0) and ends the stream, instead of waiting for a keep-alive write to
/// fail. The server here sends nothing after the head, so without that the stream would never
/// end; the 5 s wait only bounds a failing run.
@Suite("Stream hang-up", .serialized)
struct StreamHangupTests {
    private static func start(ended: DispatchSemaphore) throws -> HTTPServer {
        try HTTPServer.start(testServerConfiguration(loops: 1, workerThreads: 1)) { _ in
            let router = Router()
            router.get("/events") { _, context in
                context.stream(headers: HTTPHeaders([("Content-Type", "text/event-stream")])) { stream in
                    stream.onTermination { ended.signal() }
                    stream.send(ServerSentEvent(event: "endpoint", data: "hello"))
                }
            }
            return router
        }
    }

    @Test(arguments: [false, true])
    func closedStreamEndsWithoutAWrite(halfClose: Bool) throws {
        let ended = DispatchSemaphore(value: 0)
        let server = try Self.start(ended: ended)
        defer { server.shutdown(graceSeconds: 0); server.waitUntilStopped() }
        let client = try LoopbackClient(port: server.port)
        client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(client.read { $0.contains("data: hello\n\n") }.contains("text/event-stream"))
        if halfClose {
            shutdown(client.fd, Int32(SHUT_WR))
        } else {
            client.close()
        }
        #expect(ended.wait(timeout: .now() + 5) == .success)
        if halfClose { client.close() }
    }
}

/// Writes and health checks run on reserved threads that reads never occupy.
@Suite struct WorkerLaneTests {
    @Test func reservedJobRunsWhileEveryGeneralThreadIsBusy() {
        let pool = WorkerPool(threads: 1, reservedThreads: 1, queueLimit: 8, name: "lane-test")
        let release = DispatchSemaphore(value: 0)
        let reservedRan = DispatchSemaphore(value: 0)
        pool.submit { release.wait() }           // occupies the only general thread
        pool.submit { release.wait() }           // waits behind it
        pool.submit(lane: .reserved) { reservedRan.signal() }
        #expect(reservedRan.wait(timeout: .now() + 5) == .success)
        release.signal()
        release.signal()
    }

    @Test func generalThreadsRunReservedJobsToo() {
        let pool = WorkerPool(threads: 1, reservedThreads: 0, queueLimit: 8, name: "lane-test")
        let ran = DispatchSemaphore(value: 0)
        pool.submit(lane: .reserved) { ran.signal() }
        #expect(ran.wait(timeout: .now() + 5) == .success)
    }

    @Test func reservedThreadsNeverRunGeneralJobs() {
        let pool = WorkerPool(threads: 1, reservedThreads: 2, queueLimit: 8, name: "lane-test")
        let release = DispatchSemaphore(value: 0)
        let secondRan = DispatchSemaphore(value: 0)
        pool.submit { release.wait() }
        pool.submit { secondRan.signal() }
        // The reserved threads are idle, yet the second read waits for the general thread.
        #expect(secondRan.wait(timeout: .now() + .milliseconds(300)) == .timedOut)
        release.signal()
        #expect(secondRan.wait(timeout: .now() + 5) == .success)
    }
}
