@testable import DeskgateAuth
import Synchronization
import Testing

@Suite struct ClientMetadataCacheTests {
    /// A fake clock and fetcher: documents live `maxAge` seconds; URLs containing "bad" fail.
    final class Harness: Sendable {
        let clock = Mutex<UInt64>(1_000)
        let fetches = Mutex<[String]>([])
        let maxAge: Int

        init(maxAge: Int = 60) { self.maxAge = maxAge }

        func cache(capacity: Int = 10) -> ClientMetadataCache {
            ClientMetadataCache(capacity: capacity, now: { self.clock.withLock { $0 } }) { clientID throws(ClientMetadataError) in
                self.fetches.withLock { $0.append(clientID) }
                if clientID.contains("bad") { throw .invalidDocument("client_id does not match") }
                return ClientMetadataDocument(clientID: clientID, clientName: nil, redirectURIs: ["https://a.example/cb"],
                                              grantTypes: ["authorization_code"], responseTypes: ["code"],
                                              tokenEndpointAuthMethod: "none", scope: nil, clientURI: nil, logoURI: nil,
                                              maxAgeSeconds: self.maxAge)
            }
        }

        func advance(seconds: Int) { clock.withLock { $0 += UInt64(seconds) * 1_000_000_000 } }
        var fetched: [String] { fetches.withLock { $0 } }
    }

    @Test func keepsADocumentForItsMaxAge() throws {
        let harness = Harness(maxAge: 60)
        let cache = harness.cache()
        _ = try cache.document(for: "https://a.example/c")
        harness.advance(seconds: 59)
        _ = try cache.document(for: "https://a.example/c")
        #expect(harness.fetched == ["https://a.example/c"])
        harness.advance(seconds: 2)
        _ = try cache.document(for: "https://a.example/c")
        #expect(harness.fetched == ["https://a.example/c", "https://a.example/c"])
    }

    @Test func neverKeepsFailures() {
        let harness = Harness()
        let cache = harness.cache()
        for _ in 0..<2 {
            #expect(throws: ClientMetadataError.invalidDocument("client_id does not match")) {
                try cache.document(for: "https://bad.example/c")
            }
        }
        #expect(harness.fetched.count == 2)
        #expect(cache.count == 0)
    }

    @Test func forgetForcesARefetch() throws {
        let harness = Harness()
        let cache = harness.cache()
        _ = try cache.document(for: "https://a.example/c")
        cache.forget("https://a.example/c")
        _ = try cache.document(for: "https://a.example/c")
        #expect(harness.fetched.count == 2)
    }

    @Test func staysWithinCapacity() throws {
        let harness = Harness()
        let cache = harness.cache(capacity: 3)
        for n in 0..<10 {
            _ = try cache.document(for: "https://a.example/c\(n)")
            harness.advance(seconds: 1)
        }
        #expect(cache.count == 3)
        // The newest survive: the oldest were closest to expiry.
        _ = try cache.document(for: "https://a.example/c9")
        #expect(harness.fetched.count == 10)
    }
}
