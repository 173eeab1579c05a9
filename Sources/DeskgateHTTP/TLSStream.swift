import COpenSSL

/// A connection's TLS state. Until the first byte arrives there is no SSL object: the byte
/// decides between a handshake, a plain-HTTP refusal and a close (`TLSFirstByte`).
final class TLSStream {
    let certificates: TLSCertificates
    private(set) var ssl: OpaquePointer?
    /// Keeps the generation `ssl` was made from alive across a reload.
    private var generation: TLSServerContext?
    /// OpenSSL could not send while reading (handshake flight, alert): read again once writable.
    var readWantsWrite = false
    /// OpenSSL needs input before it can go on writing: flush again once readable.
    var writeWantsRead = false
    /// Reading stopped for back-pressure while OpenSSL still held read-ahead bytes, which epoll
    /// cannot see: once the connection reads again the loop reads them without an event.
    var pausedWithPending = false
    var queuedPending = false

    init(certificates: TLSCertificates) { self.certificates = certificates }

    deinit { if let ssl { SSL_free(ssl) } }

    /// Starts the server side of a handshake on `fd`. False when OpenSSL could not make the SSL.
    func begin(fd: Int32) -> Bool {
        let context = certificates.context
        guard let made = context.makeSession(fd: fd) else { return false }
        ssl = made
        generation = context
        return true
    }

    /// Sends close_notify, best effort (a non-blocking socket may take it or not).
    func sendCloseNotify() {
        guard let ssl, SSL_is_init_finished(ssl) == 1 else { return }
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }
}
