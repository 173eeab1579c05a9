import Testing
@testable import DeskgateHTTP

@Suite("Router")
struct RouterTests {
    func makeRouter() -> Router {
        let router = Router()
        let ok: Handler = { _, _ in .response(Response()) }
        router.add(["GET", "PUT"], "/items/{id}", ok)
        router.get("/items", ok)
        router.post("/t/{tenant}/mcp", ok)
        router.get("/t/{tenant}/mcp", ok)
        router.get("/.well-known/oauth-authorization-server/t/{tenant}", ok)
        return router
    }

    enum Outcome: Equatable {
        case found(PathParameters)
        case notAllowed([String])
        case notFound
        case badPath
    }

    func outcome(_ method: String, _ path: String) -> Outcome {
        switch makeRouter().match(method: method, path: path) {
        case .found(_, let parameters): return .found(parameters)
        case .methodNotAllowed(let allowed): return .notAllowed(allowed)
        case .notFound: return .notFound
        case .badPath: return .badPath
        }
    }

    @Test(arguments: [
        ("GET", "/items/42", Outcome.found(["id": "42"])),
        ("HEAD", "/items/42", .found(["id": "42"])),
        ("PUT", "/items/a%20b", .found(["id": "a b"])),
        ("POST", "/items/42", .notAllowed(["GET", "HEAD", "PUT"])),
        ("DELETE", "/items", .notAllowed(["GET", "HEAD"])),
        ("GET", "/items", .found([:])),
        ("GET", "/items/", .notFound),
        ("GET", "/items/42/extra", .notFound),
        ("GET", "//items", .notFound),
        ("GET", "/nothing", .notFound),
        ("GET", "/items/%zz", .badPath),
        ("POST", "/t/acme/mcp", .found(["tenant": "acme"])),
        ("DELETE", "/t/acme/mcp", .notAllowed(["GET", "HEAD", "POST"])),
        ("GET", "/.well-known/oauth-authorization-server/t/acme", .found(["tenant": "acme"])),
    ])
    func matching(_ method: String, _ path: String, _ expected: Outcome) {
        #expect(outcome(method, path) == expected)
    }
}

@Suite("Encoding")
struct EncodingTests {
    @Test func responseHeadAndBody() {
        var out: [UInt8] = []
        var headers = HTTPHeaders()
        headers.add("X-Injected", "a\r\nSet-Cookie: evil=1")
        headers.add("Content-Length", "999")
        ResponseEncoder.encode(Response(status: .ok, headers: headers, body: Array("hi".utf8)),
                               framing: .init(keepAlive: false, isHEAD: false, requestID: RequestID(value: 0xabc), http10KeepAlive: false),
                               date: Array("Date: x\r\n".utf8), into: &out)
        let text = String(decoding: out, as: UTF8.self)
        #expect(text == "HTTP/1.1 200 OK\r\nDate: x\r\nX-Injected: a  Set-Cookie: evil=1\r\nContent-Length: 2\r\nX-Request-Id: 0000000000000abc\r\nConnection: close\r\n\r\nhi")
    }

    @Test func headResponseKeepsLengthDropsBody() {
        var out: [UInt8] = []
        ResponseEncoder.encode(Response(status: .ok, body: Array("hello".utf8)),
                               framing: .init(keepAlive: true, isHEAD: true, requestID: RequestID(value: 0xabc), http10KeepAlive: false),
                               date: [], into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Request-Id: 0000000000000abc\r\n\r\n")
    }

    @Test func noContentHasNoLength() {
        var out: [UInt8] = []
        ResponseEncoder.encode(Response(status: .noContent),
                               framing: .init(keepAlive: true, isHEAD: false, requestID: RequestID(value: 0xabc), http10KeepAlive: false),
                               date: [], into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "HTTP/1.1 204 No Content\r\nX-Request-Id: 0000000000000abc\r\n\r\n")
    }

    @Test func serverSentEventFields() {
        let event = ServerSentEvent(id: "7\nx", event: "message", data: "line1\nline2")
        #expect(String(decoding: event.encoded, as: UTF8.self) == "id: 7x\nevent: message\ndata: line1\ndata: line2\n\n")
    }

    @Test func chunkEncoding() {
        var out: [UInt8] = []
        ResponseEncoder.encodeChunk(Array(repeating: UInt8(ascii: "a"), count: 26), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1a\r\n" + String(repeating: "a", count: 26) + "\r\n")
    }

    @Test func formDecoding() {
        let pairs = FormURLEncoding.decode("a=1&b=x+y&c=%E2%9C%93&d&e=%zz")
        #expect(pairs.map(\.name) == ["a", "b", "c", "d", "e"])
        #expect(pairs.map(\.value) == ["1", "x y", "✓", "", "%zz"])
    }

    @Test func absoluteFormSplit() {
        #expect(RequestTarget.split("http://h:1/p/q?x=1") == ("/p/q", "x=1"))
        #expect(RequestTarget.split("http://h") == ("/", nil))
        #expect(RequestTarget.split("/a?") == ("/a", ""))
    }
}
