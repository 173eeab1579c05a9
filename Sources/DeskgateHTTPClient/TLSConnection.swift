import COpenSSL

/// TLS over a connected TCP socket, verified for the URL's host: SNI carries the name and the
/// certificate must match it (or the IP literal), chained to a trusted root.
///
/// OpenSSL reads and writes memory BIOs and this type moves the bytes to and from the socket
/// itself: a socket BIO would `write` without MSG_NOSIGNAL, and a server that hangs up
/// mid-handshake would then kill the whole process with SIGPIPE.
public final class TLSConnection: ByteStream {
    private let tcp: TCPConnection
    private let ssl: OpaquePointer
    /// Ciphertext from the socket, for OpenSSL to read (owned by `ssl`).
    private let incoming: OpaquePointer
    /// Ciphertext OpenSSL produced, for the socket (owned by `ssl`).
    private let outgoing: OpaquePointer
    /// Kept alive as long as the SSL object that references it.
    private let context: TLSClientContext

    private init(tcp: TCPConnection, ssl: OpaquePointer, incoming: OpaquePointer, outgoing: OpaquePointer,
                 context: TLSClientContext) {
        self.tcp = tcp
        self.ssl = ssl
        self.incoming = incoming
        self.outgoing = outgoing
        self.context = context
    }

    deinit { SSL_free(ssl) }

    public static func handshake(over tcp: TCPConnection, host: RemoteHost, context: TLSClientContext,
                                 deadline: FetchDeadline) throws(HTTPClientError) -> TLSConnection {
        guard let ssl = SSL_new(context.raw) else {
            ERR_clear_error()
            throw .tlsFailed
        }
        guard let incoming = BIO_new(BIO_s_mem()), let outgoing = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            ERR_clear_error()
            throw .tlsFailed
        }
        // An empty input BIO means "wait for more", not end of stream (BIO_set_mem_eof_return).
        _ = BIO_ctrl(incoming, BIO_C_SET_BUF_MEM_EOF_RETURN, -1, nil)
        SSL_set_bio(ssl, incoming, outgoing)
        let connection = TLSConnection(tcp: tcp, ssl: ssl, incoming: incoming, outgoing: outgoing, context: context)
        guard let parameters = SSL_get0_param(ssl) else {
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
            try connection.service(result, deadline: deadline, failure: .tlsFailed)
        }
        // The last handshake flight may still sit in the output BIO.
        try connection.flush(deadline: deadline)
        // With SSL_VERIFY_PEER a failed verification already aborts the handshake; checking
        // again guards against a future change of verify mode or callback.
        guard let certificate = SSL_get1_peer_certificate(ssl) else { throw .tlsFailed }
        X509_free(certificate)
        guard SSL_get_verify_result(ssl) == X509_V_OK else { throw .tlsFailed }
        return connection
    }

    /// After an SSL call returned `result`: sends what OpenSSL produced, and when it wants input,
    /// waits for it; any other outcome is `failure`.
    private func service(_ result: Int32, deadline: FetchDeadline, failure: HTTPClientError) throws(HTTPClientError) {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_WRITE:
            try flush(deadline: deadline)
        case SSL_ERROR_WANT_READ:
            try flush(deadline: deadline)
            let bytes = try tcp.read(maxCount: 16_384, deadline: deadline)
            if bytes.isEmpty {
                // The peer hung up: OpenSSL sees end of stream and reports it on the next call.
                _ = BIO_ctrl(incoming, BIO_C_SET_BUF_MEM_EOF_RETURN, 0, nil)
                return
            }
            let written = bytes.withUnsafeBytes { BIO_write(incoming, $0.baseAddress, Int32($0.count)) }
            guard written == Int32(bytes.count) else { throw failure }
        default:
            ERR_clear_error()
            // Best effort: the alert that says why (bad certificate, ...) helps the server's operator.
            try? flush(deadline: deadline)
            throw failure
        }
    }

    /// Sends whatever ciphertext OpenSSL has queued.
    private func flush(deadline: FetchDeadline) throws(HTTPClientError) {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while BIO_ctrl_pending(outgoing) > 0 {
            let count = chunk.withUnsafeMutableBytes { BIO_read(outgoing, $0.baseAddress, Int32($0.count)) }
            guard count > 0 else { return }
            try tcp.write(Array(chunk.prefix(Int(count))), deadline: deadline)
        }
    }

    public func write(_ bytes: [UInt8], deadline: FetchDeadline) throws(HTTPClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                SSL_write(ssl, raw.baseAddress! + offset, Int32(clamping: raw.count - offset))
            }
            if written > 0 {
                offset += Int(written)
            } else {
                try service(written, deadline: deadline, failure: .connectionFailed)
            }
        }
        try flush(deadline: deadline)
    }

    public func read(maxCount: Int, deadline: FetchDeadline) throws(HTTPClientError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maxCount)
        while true {
            let count = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32(clamping: $0.count)) }
            if count > 0 { return Array(buffer.prefix(Int(count))) }
            if SSL_get_error(ssl, count) == SSL_ERROR_ZERO_RETURN { return [] }
            // An end of stream without close_notify could be a truncation: the exchange only
            // gets this far when the body's own framing (Content-Length, chunked) is incomplete.
            try service(count, deadline: deadline, failure: .connectionFailed)
        }
    }
}
