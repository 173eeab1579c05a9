import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// TLS over a connected TCP socket, verified for the URL's host: SNI carries the name and the
/// certificate must match it (or the IP literal), chained to a trusted root.
final class TLSConnection: ByteStream {
    private let tcp: TCPConnection
    private let ssl: OpaquePointer
    /// Kept alive as long as the SSL object that references it.
    private let context: TLSClientContext

    private init(tcp: TCPConnection, ssl: OpaquePointer, context: TLSClientContext) {
        self.tcp = tcp
        self.ssl = ssl
        self.context = context
    }

    deinit { SSL_free(ssl) }

    static func handshake(over tcp: TCPConnection, host: ClientMetadataURL.Host, context: TLSClientContext,
                          deadline: FetchDeadline) throws(ClientMetadataError) -> TLSConnection {
        guard let ssl = SSL_new(context.raw) else {
            ERR_clear_error()
            throw .tlsFailed
        }
        let connection = TLSConnection(tcp: tcp, ssl: ssl, context: context)
        guard SSL_set_fd(ssl, tcp.fd) == 1, let parameters = SSL_get0_param(ssl) else {
            ERR_clear_error()
            throw .tlsFailed
        }
        let named: Bool
        switch host {
        case .name(let name):
            // SSL_set_tlsext_host_name is a macro over SSL_ctrl; OpenSSL copies the name.
            X509_VERIFY_PARAM_set_hostflags(parameters, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            named = name.withCString { pointer in
                SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name), UnsafeMutableRawPointer(mutating: pointer)) == 1
                    && X509_VERIFY_PARAM_set1_host(parameters, pointer, 0) == 1
            }
        case .address(let address):
            named = address.bytes.withUnsafeBufferPointer { X509_VERIFY_PARAM_set1_ip(parameters, $0.baseAddress, $0.count) == 1 }
        }
        guard named else {
            ERR_clear_error()
            throw .tlsFailed
        }
        while true {
            let result = SSL_connect(ssl)
            if result == 1 { break }
            try connection.waitForRetry(result, deadline: deadline, failure: .tlsFailed)
        }
        // With SSL_VERIFY_PEER a failed verification already aborts the handshake; checking
        // again guards against a future change of verify mode or callback.
        guard let certificate = SSL_get1_peer_certificate(ssl) else { throw .tlsFailed }
        X509_free(certificate)
        guard SSL_get_verify_result(ssl) == X509_V_OK else { throw .tlsFailed }
        return connection
    }

    /// For a non-blocking socket: waits when OpenSSL wants I/O, otherwise throws `failure`.
    private func waitForRetry(_ result: Int32, deadline: FetchDeadline, failure: ClientMetadataError) throws(ClientMetadataError) {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ: try tcp.wait(for: Int16(POLLIN), deadline: deadline)
        case SSL_ERROR_WANT_WRITE: try tcp.wait(for: Int16(POLLOUT), deadline: deadline)
        default:
            ERR_clear_error()
            throw failure
        }
    }

    func write(_ bytes: [UInt8], deadline: FetchDeadline) throws(ClientMetadataError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                SSL_write(ssl, raw.baseAddress! + offset, Int32(clamping: raw.count - offset))
            }
            if written > 0 {
                offset += Int(written)
            } else {
                try waitForRetry(written, deadline: deadline, failure: .connectionFailed)
            }
        }
    }

    func read(maxCount: Int, deadline: FetchDeadline) throws(ClientMetadataError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maxCount)
        while true {
            let count = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32(clamping: $0.count)) }
            if count > 0 { return Array(buffer.prefix(Int(count))) }
            if SSL_get_error(ssl, count) == SSL_ERROR_ZERO_RETURN { return [] }
            // An EOF without close_notify could be a truncation: the exchange only accepts it
            // when the body's own framing (Content-Length, chunked) is already complete.
            try waitForRetry(count, deadline: deadline, failure: .connectionFailed)
        }
    }
}
