import COpenSSL
import Synchronization

/// The client-side TLS configuration: TLS 1.2 or newer, peer verification against the system
/// trust store (or a configured CA file, which then replaces it), one per trust source.
///
/// Loading a trust store costs milliseconds, so contexts are built once and shared; an SSL_CTX
/// is safe to use from many threads once configured, which is what `@unchecked` relies on.
public final class TLSClientContext: @unchecked Sendable {
    let raw: OpaquePointer

    private init(raw: OpaquePointer) { self.raw = raw }

    deinit { SSL_CTX_free(raw) }

    /// The lowest protocol version the context negotiates (SSL_CTX_get_min_proto_version).
    public var minimumProtocolVersion: Int { SSL_CTX_ctrl(raw, SSL_CTRL_GET_MIN_PROTO_VERSION, 0, nil) }

    private static let cache = Mutex<[String: TLSClientContext]>([:])

    /// The shared context for `caFile` (`nil`: the system trust store).
    public static func shared(caFile: String?) throws(HTTPClientError) -> TLSClientContext {
        let key = caFile ?? ""
        if let context = cache.withLock({ $0[key] }) { return context }
        let context = try make(caFile: caFile)
        return cache.withLock { contexts in
            if let existing = contexts[key] { return existing }
            contexts[key] = context
            return context
        }
    }

    private static func make(caFile: String?) throws(HTTPClientError) -> TLSClientContext {
        guard let raw = SSL_CTX_new(TLS_client_method()) else {
            ERR_clear_error()
            throw .tlsFailed
        }
        let context = TLSClientContext(raw: raw)
        // SSL_CTX_set_min_proto_version and SSL_CTX_set_mode are macros over SSL_CTX_ctrl.
        guard SSL_CTX_ctrl(raw, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil) == 1 else {
            ERR_clear_error()
            throw .tlsFailed
        }
        _ = SSL_CTX_ctrl(raw, SSL_CTRL_MODE, Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER), nil)
        SSL_CTX_set_verify(raw, SSL_VERIFY_PEER, nil)
        let loaded: Int32
        if let caFile {
            loaded = SSL_CTX_load_verify_locations(raw, caFile, nil)
        } else {
            loaded = SSL_CTX_set_default_verify_paths(raw)
        }
        guard loaded == 1 else {
            ERR_clear_error()
            throw .tlsFailed
        }
        return context
    }
}
