import CLinux
import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// The TLS side of a connection's reads and writes. OpenSSL drives the socket itself (a socket
/// BIO on the non-blocking fd); WANT_READ / WANT_WRITE become the loop's epoll interest, so a
/// handshake never blocks a loop, and the accept deadline bounds it.
extension EventLoop {
    /// Reads and decrypts what the socket has. Returns false if the connection was closed.
    func readTLS(_ connection: Connection, _ tls: TLSStream) -> Bool {
        guard let ssl = tls.ssl ?? startTLS(connection, tls) else {
            // No handshake yet (nothing arrived), a plain-HTTP client (now answered in plain
            // text), or closed.
            return self.connection(connection.fd) === connection
        }
        tls.readWantsWrite = false
        tls.pausedWithPending = false
        while true {
            var count = 0
            if SSL_read_ex(ssl, scratch.baseAddress, scratch.count, &count) == 1 {
                connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                if connection.bufferedInput > configuration.maxBufferedInputBytes {
                    // Read-ahead bytes inside OpenSSL raise no epoll event: remember them.
                    tls.pausedWithPending = SSL_has_pending(ssl) == 1
                    return true
                }
                continue
            }
            switch SSL_get_error(ssl, 0) {
            case SSL_ERROR_WANT_READ:
                return true
            case SSL_ERROR_WANT_WRITE:
                tls.readWantsWrite = true
                return true
            case SSL_ERROR_ZERO_RETURN:
                // close_notify, or (SSL_OP_IGNORE_UNEXPECTED_EOF) a plain end of stream.
                connection.peerClosed = true
                return true
            default:
                // A failed handshake (no common version or cipher, refused ALPN, bad record):
                // OpenSSL has sent its alert; nothing is logged per client.
                ERR_clear_error()
                close(connection)
                return false
            }
        }
    }

    /// Reads, without an epoll event, the connections that paused with input inside OpenSSL
    /// and now read again (`TLSStream.pausedWithPending`).
    func readPendingTLS() {
        let ready = tlsPending
        tlsPending.removeAll(keepingCapacity: true)
        for connection in ready {
            connection.tls?.queuedPending = false
            guard self.connection(connection.fd) === connection else { continue }
            handleEvents(EPOLLIN.rawValue, on: connection)
        }
    }

    /// Called when a connection's interest is set: queues it for `readPendingTLS` when it
    /// wants to read and OpenSSL holds bytes epoll cannot report.
    func notePendingTLS(_ connection: Connection, _ tls: TLSStream, wanted: UInt32) {
        guard tls.pausedWithPending, !tls.queuedPending, wanted & Selector.readable != 0 else { return }
        tls.queuedPending = true
        tlsPending.append(connection)
    }

    /// Looks at the first byte without consuming it and starts the handshake when it is one.
    private func startTLS(_ connection: Connection, _ tls: TLSStream) -> OpaquePointer? {
        var byte: UInt8 = 0
        var count = 0
        repeat { count = recv(connection.fd, &byte, 1, Int32(MSG_PEEK)) } while count < 0 && errno == EINTR
        if count == 0 {
            connection.peerClosed = true
            return nil
        }
        if count < 0 {
            if errno != EAGAIN && errno != EWOULDBLOCK { close(connection) }
            return nil
        }
        switch TLSFirstByte(byte) {
        case .handshake:
            guard tls.begin(fd: connection.fd) else {
                close(connection)
                return nil
            }
            return tls.ssl
        case .plainHTTP:
            // Answered in plain text, then the connection lingers and closes like any refusal.
            connection.tls = nil
            refuse(connection, HTTPError(.badRequest, "plain HTTP request sent to the HTTPS port"))
            _ = readInput(connection)
            return nil
        case .other:
            close(connection)
            return nil
        }
    }

    /// Encrypts and sends pending output. Returns false if the connection was closed.
    func writeTLS(_ connection: Connection, _ tls: TLSStream) -> Bool {
        guard let ssl = tls.ssl else {
            // Nothing can be owed to a client that has not started a handshake.
            if connection.hasPendingOutput { close(connection); return false }
            return true
        }
        tls.writeWantsRead = false
        while connection.hasPendingOutput {
            var written = 0
            let ok = connection.output.withUnsafeBytes { raw in
                SSL_write_ex(ssl, raw.baseAddress! + connection.outputIndex, raw.count - connection.outputIndex, &written)
            }
            if ok == 1 {
                connection.outputIndex += written
                connection.lastWriteProgress = now
                continue
            }
            switch SSL_get_error(ssl, 0) {
            case SSL_ERROR_WANT_WRITE:
                return true
            case SSL_ERROR_WANT_READ:
                tls.writeWantsRead = true
                return true
            default:
                ERR_clear_error()
                close(connection)
                return false
            }
        }
        return true
    }
}
