import DeskgateSystem
import Synchronization

/// A certificate chain file and its private key file (PEM). The first pair a server is given
/// is its default certificate; the others are chosen by SNI.
public struct TLSCertificatePair: Sendable, Equatable {
    public var certificateFile: String
    public var keyFile: String

    public init(certificateFile: String, keyFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}

/// Why certificates could not be loaded: file names and OpenSSL's reason, never key bytes.
public struct TLSError: Error, CustomStringConvertible, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The certificates a server serves, reloadable: handshakes start on the current generation,
/// and `reload` swaps in a new one built from the same files (on the caller's thread, never
/// an event loop's). A failed reload keeps the old generation.
public final class TLSCertificates: Sendable {
    public let pairs: [TLSCertificatePair]
    private let current: Mutex<TLSServerContext>

    public init(pairs: [TLSCertificatePair]) throws(TLSError) {
        self.pairs = pairs
        current = Mutex(try TLSServerContext.load(pairs))
    }

    var context: TLSServerContext { current.withLock { $0 } }

    /// Reads the files again; logs one line either way. Returns whether the new certificates are live.
    @discardableResult
    public func reload() -> Bool {
        do {
            let loaded = try TLSServerContext.load(pairs)
            loaded.adoptTicketKeys(from: context)
            current.withLock { $0 = loaded }
            Log.info("tls_reloaded", ["certificates": .int(pairs.count)])
            return true
        } catch {
            Log.warn("tls_reload_failed", ["error": .string(error.message)])
            return false
        }
    }
}
