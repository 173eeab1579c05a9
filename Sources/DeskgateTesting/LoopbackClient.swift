#if canImport(Glibc)
import Glibc
#endif

/// A blocking HTTP/1.1 client on a raw loopback socket, for tests that need exact bytes on
/// the wire (pipelining, malformed input) without any client library in between.
public struct LoopbackClient {
    public let fd: Int32

    public struct ConnectError: Error {
        public let code: Int32
    }

    public init(port: Int, timeoutSeconds: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 {
            let code = errno
            Glibc.close(fd)
            throw ConnectError(code: code)
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until `predicate` holds on what arrived, the peer closes, or the timeout passes.
    public func read(until predicate: (String) -> Bool) -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !predicate(String(decoding: received, as: UTF8.self)) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Sends one request and reads one response with a Content-Length body.
    public func exchange(_ request: String) -> (status: Int, body: String) {
        send(request)
        let text = read { text in
            guard let headEnd = text.firstRange(of: "\r\n\r\n") else { return false }
            let head = text[..<headEnd.lowerBound].lowercased()
            guard let lengthLine = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                  let length = Int(lengthLine.dropFirst("content-length:".count).trimmingPrefix(" ")) else { return true }
            return text.utf8.count - text[..<headEnd.upperBound].utf8.count >= length
        }
        let status = Int(text.dropFirst("HTTP/1.1 ".count).prefix(3)) ?? 0
        let body = text.firstRange(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, body)
    }

    public func close() { Glibc.close(fd) }
}
