#if canImport(Glibc)
import Glibc
#endif

/// Name resolution, done once per fetch: the addresses returned here are vetted and then
/// dialled directly, so a DNS answer that changes between check and connect (rebinding)
/// cannot steer the connection.
enum HostResolver {
    static func addresses(of name: String) throws(ClientMetadataError) -> [IPAddress] {
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
