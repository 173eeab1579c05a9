#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking TCP connection to one vetted address, every wait bounded by the deadline.
public final class TCPConnection: ByteStream {
    let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Connects to `address:port` itself; no name is looked up here.
    /// Tries each address in turn and returns the first connection made; a timeout ends the
    /// attempts (the deadline is shared), any other failure moves on to the next address.
    public static func connect(toFirstOf addresses: [IPAddress], port: Int, deadline: FetchDeadline) throws(HTTPClientError) -> TCPConnection {
        var failure = HTTPClientError.connectionFailed
        for address in addresses {
            do {
                return try connect(to: address, port: port, deadline: deadline)
            } catch .timedOut {
                throw .timedOut
            } catch {
                failure = error
            }
        }
        throw failure
    }

    public static func connect(to address: IPAddress, port: Int, deadline: FetchDeadline) throws(HTTPClientError) -> TCPConnection {
        let family = address.family == .v4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .connectionFailed }
        let connection = TCPConnection(fd: fd)
        var storage = sockaddr_storage()
        let length = Self.fill(&storage, address, port)
        let started = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
        if started != 0 {
            guard errno == EINPROGRESS else { throw .connectionFailed }
            try connection.wait(for: Int16(POLLOUT), deadline: deadline)
            var failure: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &size) == 0, failure == 0 else { throw .connectionFailed }
        }
        return connection
    }

    /// Writes a sockaddr for the address into `storage`; returns its length.
    private static func fill(_ storage: inout sockaddr_storage, _ address: IPAddress, _ port: Int) -> socklen_t {
        switch address.family {
        case .v4:
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &v4.sin_addr) { $0.copyBytes(from: address.bytes) }
            withUnsafeBytes(of: v4) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
            return socklen_t(MemoryLayout<sockaddr_in>.size)
        case .v6:
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &v6.sin6_addr) { $0.copyBytes(from: address.bytes) }
            withUnsafeBytes(of: v6) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
            return socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
    }

    /// Blocks until the socket is ready for `events` or the deadline passes.
    func wait(for events: Int16, deadline: FetchDeadline) throws(HTTPClientError) {
        while true {
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, try deadline.remainingMilliseconds())
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw .connectionFailed }
        }
    }

    public func write(_ bytes: [UInt8], deadline: FetchDeadline) throws(HTTPClientError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                try wait(for: Int16(POLLOUT), deadline: deadline)
            } else {
                throw .connectionFailed
            }
        }
    }

    public func read(maxCount: Int, deadline: FetchDeadline) throws(HTTPClientError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maxCount)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count >= 0 { return Array(buffer.prefix(count)) }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { throw .connectionFailed }
            try wait(for: Int16(POLLIN), deadline: deadline)
        }
    }
}
