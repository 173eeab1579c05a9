import COpenSSL

/// Shared OpenSSL plumbing used by every primitive in this target.
enum OpenSSL {
    /// Fetched once: an EVP_MD is immutable and reference-counted, so sharing it across
    /// threads is safe, and fetching up front avoids a per-call implicit fetch.
    nonisolated(unsafe) static let sha256: OpaquePointer = {
        guard let md = EVP_MD_fetch(nil, "SHA256", nil) else {
            fatalError("OpenSSL has no SHA256 implementation")
        }
        return md
    }()

    /// The error queue is thread-local; stale entries left after a failure would be
    /// misattributed to the next unrelated call on this thread, so every failure path drains it.
    static func clearErrors() {
        ERR_clear_error()
    }
}
