import COpenSSL

/// One generation of server TLS state: an SSL_CTX per certificate (the first one is where every
/// handshake starts, and holds the session cache and ticket keys) and the SNI table over them.
///
/// `@unchecked Sendable`: an SSL_CTX is safe to share between threads once configured, and
/// nothing here changes after `load`. A reload builds a new generation; connections keep the
/// one their SSL object came from (`TLSStream` retains it).
final class TLSServerContext: @unchecked Sendable {
    let contexts: [OpaquePointer]
    let names: TLSServerNames

    private init(contexts: [OpaquePointer], names: TLSServerNames) {
        self.contexts = contexts
        self.names = names
    }

    deinit { for context in contexts { SSL_CTX_free(context) } }

    /// TLS 1.2 only negotiates forward-secret AEAD suites; TLS 1.3's are all of that kind.
    static let tls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    static func load(_ pairs: [TLSCertificatePair]) throws(TLSError) -> TLSServerContext {
        guard !pairs.isEmpty else { throw TLSError("no TLS certificate configured") }
        var contexts: [OpaquePointer] = []
        var names: [[String]] = []
        do {
            for pair in pairs {
                let context = try makeContext(pair)
                contexts.append(context)
                names.append(certificateNames(context))
            }
        } catch {
            for context in contexts { SSL_CTX_free(context) }
            throw error
        }
        let loaded = TLSServerContext(contexts: contexts, names: TLSServerNames(names: names))
        // Only the context a handshake starts on is asked about the server name. The pointer is
        // unretained: every SSL made from these contexts keeps `loaded` alive (`TLSStream`).
        _ = shim_SSL_CTX_set_tlsext_servername_callback(contexts[0], serverNameCallback)
        _ = shim_SSL_CTX_set_tlsext_servername_arg(contexts[0], Unmanaged.passUnretained(loaded).toOpaque())
        return loaded
    }

    /// Takes over the session ticket keys of the generation this one replaces, so clients resume
    /// their sessions across a certificate reload instead of all paying a full handshake at once.
    /// The 80 bytes are secret: they stay in OpenSSL and this stack frame, wiped after.
    func adoptTicketKeys(from previous: TLSServerContext) {
        var keys = [UInt8](repeating: 0, count: 80)
        defer { OPENSSL_cleanse(&keys, keys.count) }
        guard SSL_CTX_ctrl(previous.contexts[0], SSL_CTRL_GET_TLSEXT_TICKET_KEYS, keys.count, &keys) == 1 else {
            ERR_clear_error()
            return
        }
        if SSL_CTX_ctrl(contexts[0], SSL_CTRL_SET_TLSEXT_TICKET_KEYS, keys.count, &keys) != 1 { ERR_clear_error() }
    }

    /// A server-side SSL on `fd`, not yet handshaken. nil when OpenSSL is out of memory.
    func makeSession(fd: Int32) -> OpaquePointer? {
        guard let ssl = SSL_new(contexts[0]) else {
            ERR_clear_error()
            return nil
        }
        // The socket BIO writes with write(2): SIGPIPE is ignored by `HTTPServer.start` when TLS is on.
        guard SSL_set_fd(ssl, fd) == 1 else {
            SSL_free(ssl)
            ERR_clear_error()
            return nil
        }
        SSL_set_accept_state(ssl)
        return ssl
    }

    private static func makeContext(_ pair: TLSCertificatePair) throws(TLSError) -> OpaquePointer {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw failure("cannot create a TLS context") }
        let minimum = shim_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION)
        let maximum = shim_SSL_CTX_set_max_proto_version(context, TLS1_3_VERSION)
        let ciphers = SSL_CTX_set_cipher_list(context, tls12Ciphers)
        guard minimum == 1, maximum == 1, ciphers == 1 else {
            SSL_CTX_free(context)
            throw failure("cannot configure TLS protocol versions and ciphers")
        }
        _ = SSL_CTX_set_options(context, shim_SSL_OP_NO_COMPRESSION | shim_SSL_OP_NO_RENEGOTIATION
                                    | shim_SSL_OP_CIPHER_SERVER_PREFERENCE
                                    // A client that hangs up without close_notify is an end of stream, not an error.
                                    | shim_SSL_OP_IGNORE_UNEXPECTED_EOF)
        // Output is an array that grows while OpenSSL waits to retry a write: let it move, and
        // let a write return after each record so a large body does not wait for the whole.
        // Idle keep-alive connections give their 34 KB of record buffers back (as nginx does).
        _ = shim_SSL_CTX_set_mode(context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
                                                | SSL_MODE_RELEASE_BUFFERS))
        // One read(2) takes a whole request's records, not a 5-byte header and then the rest
        // (3 → 2 reads per kept-alive request, as nginx does); `EventLoop.readTLS` handles the
        // bytes this leaves inside OpenSSL.
        _ = shim_SSL_CTX_set_read_ahead(context, 1)
        _ = shim_SSL_CTX_set_session_cache_mode(context, Int(SSL_SESS_CACHE_SERVER))
        let sessionContext = Array("deskgate".utf8)
        _ = SSL_CTX_set_session_id_context(context, sessionContext, UInt32(sessionContext.count))
        SSL_CTX_set_alpn_select_cb(context, alpnCallback, nil)
        guard SSL_CTX_use_certificate_chain_file(context, pair.certificateFile) == 1 else {
            SSL_CTX_free(context)
            throw failure("cannot load TLS certificate \(pair.certificateFile)")
        }
        guard SSL_CTX_use_PrivateKey_file(context, pair.keyFile, SSL_FILETYPE_PEM) == 1 else {
            SSL_CTX_free(context)
            throw failure("cannot load TLS key \(pair.keyFile)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            SSL_CTX_free(context)
            throw failure("TLS key \(pair.keyFile) does not match certificate \(pair.certificateFile)")
        }
        return context
    }

    /// The DNS names of the certificate: its subjectAltName entries, or its common name when it has none.
    private static func certificateNames(_ context: OpaquePointer) -> [String] {
        guard let certificate = SSL_CTX_get0_certificate(context) else { return [] }
        var names: [String] = []
        if let raw = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) {
            let list = OpaquePointer(raw)
            for index in 0..<shim_sk_GENERAL_NAME_num(list) {
                var length: Int32 = 0
                if let entry = shim_sk_GENERAL_NAME_value(list, index), let bytes = shim_GENERAL_NAME_dns(entry, &length) {
                    names.append(String(decoding: UnsafeBufferPointer(start: bytes, count: Int(length)), as: UTF8.self))
                }
            }
            GENERAL_NAMES_free(list)
        }
        if names.isEmpty, let subject = X509_get_subject_name(certificate) {
            let position = X509_NAME_get_index_by_NID(subject, NID_commonName, -1)
            if position >= 0, let entry = X509_NAME_get_entry(subject, position), let data = X509_NAME_ENTRY_get_data(entry),
               let bytes = ASN1_STRING_get0_data(data) {
                names.append(String(decoding: UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(data))), as: UTF8.self))
            }
        }
        ERR_clear_error()
        return names
    }

    /// `context` plus OpenSSL's reason (a library message such as "no start line", never file contents).
    private static func failure(_ context: String) -> TLSError {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0, let reason = ERR_reason_error_string(code) else { return TLSError(context) }
        return TLSError("\(context): \(String(cString: reason))")
    }
}

/// SNI: moves the handshake onto the certificate `TLSServerNames` picks.
private func serverNameCallback(_ ssl: OpaquePointer?, _ alert: UnsafeMutablePointer<Int32>?, _ argument: UnsafeMutableRawPointer?) -> Int32 {
    guard let ssl, let argument else { return SSL_TLSEXT_ERR_OK }
    let loaded = Unmanaged<TLSServerContext>.fromOpaque(argument).takeUnretainedValue()
    let requested = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
    let index = loaded.names.certificateIndex(for: requested)
    if index != TLSServerNames.defaultIndex { _ = SSL_set_SSL_CTX(ssl, loaded.contexts[index]) }
    return SSL_TLSEXT_ERR_OK
}

/// ALPN: `http/1.1` when offered; a client offering only other protocols is refused.
private func alpnCallback(_ ssl: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
                          _ outLength: UnsafeMutablePointer<UInt8>?, _ offered: UnsafePointer<UInt8>?,
                          _ offeredLength: UInt32, _ argument: UnsafeMutableRawPointer?) -> Int32 {
    guard let out, let outLength, let offered else { return SSL_TLSEXT_ERR_NOACK }
    let list = UnsafeBufferPointer(start: offered, count: Int(offeredLength))
    switch ALPNSelection.select(offered: list) {
    case .selected(let range):
        out.pointee = offered + range.lowerBound
        outLength.pointee = UInt8(range.count)
        return SSL_TLSEXT_ERR_OK
    case .refused:
        return SSL_TLSEXT_ERR_ALERT_FATAL
    }
}
