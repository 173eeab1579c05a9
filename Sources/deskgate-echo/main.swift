// The bare HTTP core with fixed routes. The conformance suite (Tests/interop) and
// bench/http.sh drive it; it knows nothing of tickets or OAuth.
import DeskgateHTTP
import DeskgateJSON
import DeskgateSystem
#if canImport(Glibc)
import Glibc
#endif

ShutdownSignals.block()
StandardIO.lineBuffer()

/// The server's settings, and `--canned FILE`: the bytes `POST /t/{tenant}/mcp` answers with.
func parseConfiguration(_ arguments: [String]) -> (HTTPServer.Configuration, cannedPath: String?) {
    var configuration = HTTPServer.Configuration()
    var cannedPath: String?
    var certificates: [String] = [], keys: [String] = []
    configuration.port = 8080
    var rest = arguments[...]
    func value(_ flag: String) -> String {
        guard let next = rest.popFirst() else { Console.fail("deskgate-echo", "\(flag) needs a value", status: 2) }
        return next
    }
    func number(_ flag: String) -> Double {
        let text = value(flag)
        guard let parsed = Double(text) else {
            Console.fail("deskgate-echo", "\(flag) expects a number, got '\(text)'", status: 2)
        }
        return parsed
    }
    while let flag = rest.popFirst() {
        switch flag {
        case "--host": configuration.host = value(flag)
        case "--port": configuration.port = Int(number(flag))
        case "--loops": configuration.loops = Int(number(flag))
        case "--max-body": configuration.limits.maxBodyBytes = Int(number(flag))
        case "--header-timeout": configuration.headerTimeout = number(flag)
        case "--idle-timeout": configuration.idleTimeout = number(flag)
        case "--access-log": configuration.accessLog = value(flag) != "off"
        case "--canned": cannedPath = value(flag)
        case "--max-buffered-input": configuration.maxBufferedInputBytes = Int(number(flag))
        // Repeatable in pairs: the first pair is the default certificate, the others go by SNI.
        case "--tls-cert": certificates.append(value(flag))
        case "--tls-key": keys.append(value(flag))
        default: Console.fail("deskgate-echo", "unknown option \(flag)", status: 2)
        }
    }
    guard certificates.count == keys.count else {
        Console.fail("deskgate-echo", "--tls-cert and --tls-key come in pairs", status: 2)
    }
    if !certificates.isEmpty {
        do {
            configuration.tls = try TLSCertificates(pairs: zip(certificates, keys).map {
                TLSCertificatePair(certificateFile: $0, keyFile: $1)
            })
        } catch {
            Console.fail("deskgate-echo", String(describing: error), status: 2)
        }
    }
    return (configuration, cannedPath)
}

let (configuration, cannedPath) = parseConfiguration(Array(CommandLine.arguments.dropFirst()))

/// A fixed body of about 300 bytes, the same bytes bench/http.sh has nginx serve (compact,
/// members in this order).
let benchBody = JSONValue.object([
    "jsonrpc": "2.0", "id": 1,
    "result": [
        "content": [["type": "text",
                     "text": "Ticket #1042 is open, priority high, assigned to Dana in Support. Last reply 2 hours ago."]],
        "structuredContent": ["ticket": 1042, "status": "open", "priority": "high", "assignee": "Dana",
                              "department": "Support"],
        "isError": false,
    ],
]).encoded()

func milliseconds(_ request: Request, max: Int = 60_000) throws -> Int {
    guard let text = request.queryValue("ms"), let value = Int(text), value >= 0, value <= max else {
        throw HTTPError(.badRequest, "ms must be an integer between 0 and \(max)")
    }
    return value
}

/// bench/mcp.sh's ceiling: a recorded deskgate-mcp answer, served for the same request bytes
/// on the same path with none of the MCP work (no token, no JSON-RPC, no query, no encoding).
/// What a server on this HTTP core could reach at most for that exchange on this machine.
let cannedBody: [UInt8]? = cannedPath.map { path in
    guard let file = fopen(path, "rb") else { Console.fail("deskgate-echo", "--canned: cannot open \(path)", status: 2) }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count == 0 { break }
        bytes += chunk[..<count]
    }
    guard !bytes.isEmpty else { Console.fail("deskgate-echo", "--canned: \(path) is empty", status: 2) }
    return bytes
}

let server: HTTPServer
do {
    server = try HTTPServer.start(configuration) { _ in
        let router = Router()
        router.add(["GET", "POST"], "/bench") { _, _ in .response(.json(benchBody)) }
        if let cannedBody {
            router.post("/t/{tenant}/mcp") { _, _ in .response(.json(cannedBody)) }
        }
        router.post("/echo") { request, _ in
            var headers = HTTPHeaders()
            headers.add("Content-Type", request.headers["content-type"] ?? "application/octet-stream")
            return .response(Response(status: .ok, headers: headers, body: request.body))
        }
        router.get("/headers") { request, _ in
            let pairs = request.headers.map { JSONValue.array([.string($0.name), .string($0.value)]) }
            return .response(.json(.array(pairs)))
        }
        router.add(["GET", "PUT"], "/items/{id}") { request, _ in
            .response(.json(["id": .string(request.parameter("id")), "method": .string(request.method)]))
        }
        router.get("/sse") { request, context in
            let count = Int(request.queryValue("count") ?? "3") ?? 3
            let interval = Int(request.queryValue("interval_ms") ?? "100") ?? 100
            guard (0...10_000).contains(count), (0...60_000).contains(interval) else {
                throw HTTPError(.badRequest, "count must be 0...10000 and interval_ms 0...60000")
            }
            return context.stream(headers: HTTPHeaders([("Content-Type", "text/event-stream")])) { stream in
                spawnThread(name: "sse-demo") {
                    for n in 1...max(1, count) where count > 0 {
                        if stream.isClosed { return }
                        stream.send(ServerSentEvent(id: String(n), event: "tick", data: JSONValue.object(["n": .number(JSONNumber(n))]).text))
                        if n < count { usleep(useconds_t(interval * 1000)) }
                    }
                    stream.finish()
                }
            }
        }
        router.get("/slow") { request, context in
            let ms = try milliseconds(request)
            return context.offload {
                usleep(useconds_t(ms * 1000))
                return .json(["slept_ms": .number(JSONNumber(ms))])
            }
        }
        router.get("/async") { request, context in
            let ms = try milliseconds(request)
            return context.run {
                try await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)
                return .json(["slept_ms": .number(JSONNumber(ms))])
            }
        }
        router.get("/boom") { _, _ in
            struct Boom: Error {}
            throw Boom()
        }
        return router
    }
} catch {
    Console.fail("deskgate-echo", String(describing: error))
}

print("listening \(configuration.tls == nil ? "http" : "https")://\(configuration.host):\(server.port)")
ShutdownSignals.onSignal { signal in
    if signal == SIGHUP, let certificates = configuration.tls {
        certificates.reload()
        return
    }
    server.shutdown()
}
server.waitUntilStopped()
exit(0)
