import Dispatch
import DeskgateSystem
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Name resolution, done once per fetch: the addresses returned here are vetted and then
/// dialled directly, so a DNS answer that changes between check and connect (rebinding)
/// cannot steer the connection.
public enum HostResolver {
    /// getaddrinfo has no timeout of its own and a hostile name server can stall it for tens of
    /// seconds, so it runs on its own thread and the fetch waits only until its deadline. The
    /// cap bounds the threads still stuck in lookups after their fetches gave up.
    static let maxLookupsInFlight = 32
    private static let lookupsInFlight = Atomic<Int>(0)

    private final class Answer: Sendable {
        let result = Mutex<Result<[IPAddress], HTTPClientError>?>(nil)
        let ready = DispatchSemaphore(value: 0)
    }

    public static func addresses(of name: String, deadline: FetchDeadline) throws(HTTPClientError) -> [IPAddress] {
        let waitMilliseconds = try deadline.remainingMilliseconds()
        guard lookupsInFlight.add(1, ordering: .relaxed).newValue <= maxLookupsInFlight else {
            lookupsInFlight.subtract(1, ordering: .relaxed)
            throw .timedOut
        }
        let answer = Answer()
        spawnThread(name: "http-resolve") {
            let result: Result<[IPAddress], HTTPClientError>
            do throws(HTTPClientError) {
                result = .success(try lookup(name))
            } catch {
                result = .failure(error)
            }
            answer.result.withLock { $0 = result }
            answer.ready.signal()
            lookupsInFlight.subtract(1, ordering: .relaxed)
        }
        guard answer.ready.wait(timeout: .now() + .milliseconds(Int(waitMilliseconds))) == .success,
              let result = answer.result.withLock({ $0 }) else {
            throw .timedOut
        }
        return try result.get()
    }

    /// The blocking lookup itself: every IPv4 and IPv6 address of `name`, deduplicated, in order.
    static func lookup(_ name: String) throws(HTTPClientError) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0, let first = list else { throw .hostNotFound }
        defer { freeaddrinfo(first) }
        var found: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = Self.address(entry.pointee), !found.contains(address) { found.append(address) }
            cursor = entry.pointee.ai_next
        }
        guard !found.isEmpty else { throw .hostNotFound }
        return found
    }

    private static func address(_ entry: addrinfo) -> IPAddress? {
        guard let raw = entry.ai_addr else { return nil }
        switch entry.ai_family {
        case AF_INET where entry.ai_addrlen >= socklen_t(MemoryLayout<sockaddr_in>.size):
            let v4 = UnsafeRawPointer(raw).loadUnaligned(as: sockaddr_in.self)
            return IPAddress(bytes: withUnsafeBytes(of: v4.sin_addr) { Array($0) })
        case AF_INET6 where entry.ai_addrlen >= socklen_t(MemoryLayout<sockaddr_in6>.size):
            let v6 = UnsafeRawPointer(raw).loadUnaligned(as: sockaddr_in6.self)
            return IPAddress(bytes: withUnsafeBytes(of: v6.sin6_addr) { Array($0) })
        default:
            // An answer we cannot judge is never dialled; the caller sees only what it can vet.
            return nil
        }
    }
}
