import DeskgateCrypto

/// A presented token (a PAT, or an OAuth access token) as the key of the verified-token caches,
/// so a cache hit costs one keyed hash of the token's bytes instead of its SHA-256 (~4k
/// instructions per request through `EVP_Digest` for a PAT, callgrind). For a PAT the SHA-256 is
/// still what the store is searched by: a miss computes it
/// (`PersonalAccessTokenFormat.storageKey`) before going to the database.
///
/// Hashing goes through Swift's `Hasher`, SipHash seeded at random per process, so nobody
/// outside can aim tokens at one bucket; equality compares every byte in constant time
/// (CRYPTO_memcmp), so a probe that lands next to a cached token learns nothing from how long
/// the comparison took. The hash is taken once, when the key is made: the authenticator looks
/// the same key up two or three times per request.
///
/// The cache holds the bytes of verified tokens for as long as an entry lives (until the next
/// revocation, the capacity flush or expiry): the server handles those bytes on every request
/// anyway, and only tokens that passed verification get in.
struct PresentedTokenKey: Hashable, Sendable {
    let token: String
    private let hash: Int

    init(_ token: String) {
        self.token = token
        var text = token
        var hasher = Hasher()
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hash = hasher.finalize()
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }

    static func == (lhs: PresentedTokenKey, rhs: PresentedTokenKey) -> Bool {
        ConstantTime.equals(lhs.token, rhs.token)
    }
}
