import DeskgateConfig
import Foundation
import Synchronization
import Testing
@testable import DeskgateAuth
import DeskgateDesk
import DeskgateIdentity
import DeskgateStore
import DeskgateModel

/// A metadata source that serves canned documents and counts fetches.
final class CannedDocuments: ClientMetadataSource {
    let documents: Mutex<[String: Result<FetchedClientMetadata, ClientMetadataUnavailable>]>
    let fetches = Mutex(0)

    init(_ documents: [String: Result<FetchedClientMetadata, ClientMetadataUnavailable>]) {
        self.documents = Mutex(documents)
    }

    func isMetadataURL(_ clientID: String) -> Bool { clientID.hasPrefix("https://") }

    func document(for clientID: String) throws -> FetchedClientMetadata {
        fetches.withLock { $0 += 1 }
        guard let found = documents.withLock({ $0[clientID] }) else { throw ClientMetadataUnavailable("not found (404)") }
        return try found.get()
    }
}

final class ManualClock: Sendable {
    private let now = Mutex<Int64>(1_800_000_000_000)
    var read: @Sendable () -> Int64 { { [self] in self.now.withLock { $0 } } }
    func advance(milliseconds: Int64) { now.withLock { $0 += milliseconds } }
}

final class ResolverFixture {
    let directory = NSTemporaryDirectory() + "deskgate-resolver-\(UUID().uuidString)"
    let database: Database
    let tenant: Tenant
    let clock = ManualClock()

    init() throws {
        database = try Database.open(path: directory + "/db.sqlite")
        tenant = try TenantService(database: database).create(slug: "acme", name: "Acme")
    }

    deinit {
        database.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func resolver(_ source: (any ClientMetadataSource)?) -> ClientResolver {
        let clock = self.clock.read
        return ClientResolver(storage: Storage(database), registry: ClientRegistry(database: database, clock: clock), source: source,
                              clock: clock)
    }
}

struct ClientResolverTests {
    static let url = "https://app.example.com/oauth/client.json"
    static let document = FetchedClientMetadata(clientID: url, clientName: "Example App", redirectURIs: ["http://localhost/cb"],
                                                grantTypes: ["authorization_code", "refresh_token"], scope: "tickets:read",
                                                maxAgeSeconds: 600)

    @Test func aDocumentIsFetchedStoredAsCIMDAndCachedForItsLifetime() throws {
        let fixture = try ResolverFixture()
        let source = CannedDocuments([Self.url: .success(Self.document)])
        guard case .found(let client) = try fixture.resolver(source).resolve(Self.url, tenant: fixture.tenant) else {
            Issue.record("not found")
            return
        }
        #expect(client.kind == .cimd && client.name == "Example App" && client.redirectURIs == ["http://localhost/cb"])
        #expect(client.scope == "tickets:read" && client.tokenEndpointAuthMethod == "none")
        #expect(client.metadataExpiresAt.map { $0 - 1_800_000_000_000 } == 600_000)
        _ = try fixture.resolver(source).resolve(Self.url, tenant: fixture.tenant)
        #expect(source.fetches.withLock { $0 } == 1)

        // Past its lifetime the document is fetched again, and a changed document replaces the copy.
        fixture.clock.advance(milliseconds: 601_000)
        var changed = Self.document
        changed.clientName = "Renamed App"
        source.documents.withLock { $0[Self.url] = .success(changed) }
        guard case .found(let refreshed) = try fixture.resolver(source).resolve(Self.url, tenant: fixture.tenant) else {
            Issue.record("not found after expiry")
            return
        }
        #expect(refreshed.name == "Renamed App" && refreshed.id == client.id)
        #expect(source.fetches.withLock { $0 } == 2)
    }

    @Test func failuresAndMismatchesAreNotClients() throws {
        let fixture = try ResolverFixture()
        var impostor = Self.document
        impostor.clientID = "https://other.example.com/client.json"
        let source = CannedDocuments([Self.url: .success(impostor),
                                      "https://down.example.com/c": .failure(ClientMetadataUnavailable("timed out"))])
        guard case .unavailable(let reason) = try fixture.resolver(source).resolve(Self.url, tenant: fixture.tenant) else {
            Issue.record("an impostor document was accepted")
            return
        }
        #expect(reason.contains("client_id"))
        guard case .unavailable(let timeout) = try fixture.resolver(source).resolve("https://down.example.com/c",
                                                                                    tenant: fixture.tenant) else {
            Issue.record("a failed fetch was accepted")
            return
        }
        #expect(timeout == "timed out")
        #expect(try fixture.database.withReader { try fixture.tenant.scope.oauthClients.list(on: $0) }.isEmpty)
    }

    @Test func withoutAFetcherURLClientsAreUnknownAndRegisteredOnesResolve() throws {
        let fixture = try ResolverFixture()
        guard case .unknown = try fixture.resolver(nil).resolve(Self.url, tenant: fixture.tenant) else {
            Issue.record("a URL client resolved without a fetcher")
            return
        }
        let registered = try ClientRegistry(database: fixture.database).register(
            ClientRegistration(redirectURIs: ["https://a.example/cb"], tokenEndpointAuthMethod: "none"),
            tenant: fixture.tenant).get().client
        let source = CannedDocuments([:])
        guard case .found(let found) = try fixture.resolver(source).resolve(registered.clientID, tenant: fixture.tenant) else {
            Issue.record("registered client not found")
            return
        }
        #expect(found.clientID == registered.clientID && source.fetches.withLock { $0 } == 0)
        guard case .unknown = try fixture.resolver(source).resolve("dgc_missing", tenant: fixture.tenant) else {
            Issue.record("unknown id resolved")
            return
        }
    }
}

struct PageSafetyTests {
    @Test func everyDynamicValueIsEscaped() {
        let hostile = "<script>alert('x')</script>\"&"
        let page = ConsentPage(slug: "acme", tenantName: hostile, userEmail: hostile, appName: hostile, clientID: hostile,
                               isMetadataDocument: false, redirectURI: "http://127.0.0.1/cb", scopes: [.ticketsRead],
                               csrf: hostile, requestID: hostile, prefix: "/t/acme").render()
        #expect(!page.contains("<script>") && !page.contains("alert('x')"))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"))
        let login = LoginPage(slug: "acme", tenantName: hostile, csrf: hostile, next: "/t/acme/\"><script>", prefix: "/t/acme", email: hostile,
                              message: hostile).render()
        #expect(!login.contains("<script>") && !login.contains("\"><"))
    }

    @Test(arguments: [
        ("/t/acme/oauth/authorize?client_id=a&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb", true),
        ("/t/acme/profile/mcp", true),
        ("/t/acme", false), ("/t/globex/x", false), ("https://evil.example/t/acme/", false), ("//evil.example/t/acme/", false),
        ("/t/acme/../x", false), ("/t/acme/%2E%2E/x", false), ("/t/acme/a/..", false), ("/t/acme/\\evil", false),
        ("/t/acme//evil.example", false), ("/t/acme/x y", false),
    ])
    func nextStaysOnTheTenant(next: String, kept: Bool) {
        #expect(LoginEndpoint.safeNext(next, slug: "acme") == (kept ? next : "/t/acme/profile/mcp"))
    }
}
