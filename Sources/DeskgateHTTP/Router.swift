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
public final class Router {
    private final class Node {
        /// Few children per level: a linear byte comparison beats hashing here.
        var literal: [(segment: String, node: Node)] = []

        func child(_ segment: Substring) -> Node? {
            for entry in literal where entry.segment.utf8.elementsEqual(segment.utf8) { return entry.node }
            return nil
        }
        var parameter: (name: String, node: Node)?
        var handlers: [String: Handler] = [:]
    }

    public enum Match {
        case found(Handler, parameters: [String: String])
        /// The path exists, the method does not: the `Allow` list.
        case methodNotAllowed(allowed: [String])
        case notFound
        /// A path parameter was not valid percent-encoded UTF-8.
        case badPath
    }

    private let root = Node()

    public init() {}

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
            } else if let next = node.child(segment) {
                node = next
            } else {
                let next = Node()
                node.literal.append((String(segment), next))
                node = next
            }
        }
        for method in methods {
            precondition(node.handlers[method] == nil, "duplicate route \(method) \(pattern)")
            node.handlers[method] = handler
        }
    }

    public func get(_ pattern: String, _ handler: @escaping Handler) { add(["GET"], pattern, handler) }
    public func post(_ pattern: String, _ handler: @escaping Handler) { add(["POST"], pattern, handler) }
    public func put(_ pattern: String, _ handler: @escaping Handler) { add(["PUT"], pattern, handler) }
    public func delete(_ pattern: String, _ handler: @escaping Handler) { add(["DELETE"], pattern, handler) }

    public func match(method: String, path: String) -> Match {
        var node = root
        var captured: [(String, Substring)] = []
        guard path.utf8.first == UInt8(ascii: "/") else { return .notFound }
        // Walk the segments in place: "/" is the root; an empty segment ("//", trailing "/") matches nothing.
        var start = path.utf8.index(after: path.utf8.startIndex)
        let end = path.utf8.endIndex
        while start < end {
            let stop = path.utf8[start...].firstIndex(of: UInt8(ascii: "/")) ?? end
            if stop == start { return .notFound }
            let segment = Substring(path.utf8[start..<stop])
            start = stop == end ? end : path.utf8.index(after: stop)
            if stop != end && start == end { return .notFound }
            if let next = node.child(segment) {
                node = next
            } else if let (name, next) = node.parameter {
                captured.append((name, segment))
                node = next
            } else {
                return .notFound
            }
        }
        if node.handlers.isEmpty { return .notFound }
        let handler = node.handlers[method] ?? (method == "HEAD" ? node.handlers["GET"] : nil)
        guard let handler else {
            var allowed = Array(node.handlers.keys)
            if allowed.contains("GET") && !allowed.contains("HEAD") { allowed.append("HEAD") }
            return .methodNotAllowed(allowed: allowed.sorted())
        }
        var parameters: [String: String] = [:]
        for (name, raw) in captured {
            guard let value = PercentDecoding.decode(raw) else { return .badPath }
            parameters[name] = value
        }
        return .found(handler, parameters: parameters)
    }
}
