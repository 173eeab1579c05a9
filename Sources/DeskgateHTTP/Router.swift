#if canImport(Glibc)
import Glibc
#endif

/// What a route handler returns: a response now, or a promise made through `RequestContext`.
public struct Reply {
    enum Kind {
        case response(Response)
        /// A `Responder` will complete the request from another thread.
        case deferred
        case stream(StreamStart)
    }

    let kind: Kind

    public static func response(_ response: Response) -> Reply { Reply(kind: .response(response)) }
    static var deferred: Reply { Reply(kind: .deferred) }
}

/// Handlers run on the event loop thread that owns the connection: they must not block.
/// Work that may block or burn CPU goes through `RequestContext.offload` or `run`.
public typealias Handler = (Request, RequestContext) throws -> Reply

/// Maps method and path to a handler; `{name}` segments capture one percent-decoded segment.
///
/// Built once per event loop (through the server's router factory), so handlers may
/// capture state confined to that loop, such as a read-only database connection.
public final class HandlerBox {
    public let call: Handler
    /// The route's slot in `RouteTable` (its metrics series).
    let route: Int
    init(_ call: @escaping Handler, route: Int) {
        self.call = call
        self.route = route
    }
}

public final class Router {
    private final class Node {
        /// Few children per level: a length check and memcmp beat hashing here.
        var literal: [(segment: [UInt8], node: Node)] = []
        var parameter: (name: String, node: Node)?
        /// Boxed so the closure keeps its natural calling convention (a closure stored in a
        /// tuple array is called through reabstraction thunks that copy the request).
        var handlers: [(method: String, handler: HandlerBox)] = []

        func child(_ segment: UnsafeRawBufferPointer) -> Node? {
            for entry in literal where entry.segment.count == segment.count {
                let equal = entry.segment.withUnsafeBytes { memcmp($0.baseAddress!, segment.baseAddress!, segment.count) == 0 }
                if equal { return entry.node }
            }
            return nil
        }

        func literalChild(_ segment: [UInt8]) -> Node? {
            literal.first { $0.segment == segment }?.node
        }

        /// Returns the box, not the closure: a closure wrapped in an Optional is reabstracted,
        /// and every call then goes through thunks that copy the whole request (9 % of the
        /// instructions per request, measured with callgrind).
        func handler(for method: String) -> HandlerBox? {
            for entry in handlers where entry.method == method { return entry.handler }
            return nil
        }
    }

    public enum Match {
        case found(HandlerBox, parameters: PathParameters)
        /// The path exists, the method does not: the `Allow` list.
        case methodNotAllowed(allowed: [String])
        case notFound
        /// A path parameter was not valid percent-encoded UTF-8.
        case badPath
    }

    private let root = Node()
    private var turnEndHandlers: [() -> Void] = []

    /// Asked only when a request's path matches no route: it may rewrite the path onto one
    /// (and set `routedHost`), and returns whether it did. Custom domains use it, so a path
    /// that matches as sent costs nothing more.
    public var unmatchedPath: ((inout Request) -> Bool)?

    public init() {}

    /// Registers `body` to run on the loop's thread after each turn of its event loop, once
    /// it has served every request it read in that turn (see `EventLoop.run`). Handlers use
    /// it to share per-turn state, such as one read transaction, across those requests.
    public func atEndOfTurn(_ body: @escaping () -> Void) {
        turnEndHandlers.append(body)
    }

    func endTurn() {
        for body in turnEndHandlers { body() }
    }

    public func add(_ methods: [String], _ pattern: String, _ handler: @escaping Handler) {
        var node = root
        for segment in pattern.split(separator: "/", omittingEmptySubsequences: true) {
            if segment.hasPrefix("{") && segment.hasSuffix("}") {
                let name = String(segment.dropFirst().dropLast())
                if let existing = node.parameter {
                    precondition(existing.name == name, "conflicting parameter names at \(pattern)")
                    node = existing.node
                } else {
                    let next = Node()
                    node.parameter = (name, next)
                    node = next
                }
            } else if let next = node.literalChild(Array(segment.utf8)) {
                node = next
            } else {
                let next = Node()
                node.literal.append((Array(segment.utf8), next))
                node = next
            }
        }
        for method in methods {
            precondition(node.handler(for: method) == nil, "duplicate route \(method) \(pattern)")
            node.handlers.append((method, HandlerBox(handler, route: RouteTable.shared.index(method: method, pattern: pattern))))
        }
    }

    public func get(_ pattern: String, _ handler: @escaping Handler) { add(["GET"], pattern, handler) }
    public func post(_ pattern: String, _ handler: @escaping Handler) { add(["POST"], pattern, handler) }
    public func put(_ pattern: String, _ handler: @escaping Handler) { add(["PUT"], pattern, handler) }
    public func delete(_ pattern: String, _ handler: @escaping Handler) { add(["DELETE"], pattern, handler) }

    public func match(method: String, path: String) -> Match {
        var path = path
        return path.withUTF8 { match(method: method, bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Walks the path's bytes in place: "/" is the root; an empty segment ("//", a trailing "/") matches nothing.
    private func match(method: String, bytes: UnsafeRawBufferPointer) -> Match {
        guard bytes.first == UInt8(ascii: "/") else { return .notFound }
        var node = root
        var captured: [(name: String, start: Int, end: Int)] = []
        var start = 1
        while start < bytes.count {
            var stop = start
            while stop < bytes.count && bytes[stop] != UInt8(ascii: "/") { stop += 1 }
            if stop == start || stop == bytes.count - 1 { return .notFound }
            let segment = UnsafeRawBufferPointer(rebasing: bytes[start..<stop])
            if let next = node.child(segment) {
                node = next
            } else if let (name, next) = node.parameter {
                captured.append((name, start, stop))
                node = next
            } else {
                return .notFound
            }
            start = stop + 1
        }
        if node.handlers.isEmpty { return .notFound }
        guard let handler = node.handler(for: method) ?? (method == "HEAD" ? node.handler(for: "GET") : nil) else {
            var allowed = node.handlers.map(\.method)
            if allowed.contains("GET") && !allowed.contains("HEAD") { allowed.append("HEAD") }
            return .methodNotAllowed(allowed: allowed.sorted())
        }
        if captured.isEmpty { return .found(handler, parameters: PathParameters()) }
        var parameters = PathParameters()
        for (name, from, to) in captured {
            let segment = UnsafeRawBufferPointer(rebasing: bytes[from..<to])
            // Most segments (tenant slugs) have no escapes: the request target is printable
            // ASCII (the parser checked), so the bytes are the value. Decoding through a
            // Substring and a byte array cost ~2k instructions per MCP request (callgrind).
            let value: String?
            if memchr(segment.baseAddress!, Int32(UInt8(ascii: "%")), segment.count) == nil {
                value = String(decoding: segment, as: UTF8.self)
            } else {
                value = PercentDecoding.decode(Substring(decoding: segment, as: UTF8.self))
            }
            guard let value else { return .badPath }
            parameters[name] = value
        }
        return .found(handler, parameters: parameters)
    }
}
