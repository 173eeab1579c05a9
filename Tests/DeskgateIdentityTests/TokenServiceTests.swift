import DeskgateCrypto
import Foundation
import Synchronization
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
@testable import DeskgateStore
import DeskgateModel

/// A clock tests can move: tokens expire on cue, without waiting.
final class TestClock: Sendable {
    private let now = Mutex<Int64>(1_800_000_000_000)
    var read: @Sendable () -> Int64 { { [self] in self.value } }
    var value: Int64 { now.withLock { $0 } }
    func advance(days: Int) { now.withLock { $0 += Int64(days) * 86_400_000 } }
    func set(_ milliseconds: Int64) { now.withLock { $0 = milliseconds } }
}

/// A fresh database with tenants `acme` and `globex`, each with an admin, and agents
/// dana and eli in acme.
final class TokenFixture {
    let directory = NSTemporaryDirectory() + "deskgate-tokens-\(UUID().uuidString)"
    let database: Database
    let clock = TestClock()
    var service: PersonalAccessTokenService { PersonalAccessTokenService(database: database, clock: clock.read) }

    init() throws {
        database = try Database.open(path: directory + "/db.sqlite")
        for slug in ["acme", "globex"] {
            let tenant = try TenantService(database: database).create(slug: slug, name: slug.capitalized)
            let people = DirectoryService(database: database, scope: tenant.scope)
            _ = try people.createAgent(AgentDraft(email: "admin@\(slug).test", name: "Admin", role: .admin))
            if slug == "acme" {
                _ = try people.createAgent(AgentDraft(email: "dana@acme.test", name: "Dana", role: .agent))
                _ = try people.createAgent(AgentDraft(email: "eli@acme.test", name: "Eli", role: .agent))
            }
        }
    }

    deinit {
        database.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func create(_ email: String = "dana@acme.test", tenant: String = "acme", days: Int? = nil) throws -> (token: String, record: PersonalAccessTokenSummary) {
        try service.create(tenant: tenant, userEmail: email, expiresInDays: days)
    }

    /// Every byte SQLite has written: the main file and the write-ahead log.
    func fileBytes() throws -> Data {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: database.path))
        if let wal = try? Data(contentsOf: URL(fileURLWithPath: database.path + "-wal")) { bytes += wal }
        return bytes
    }
}

@Suite("Personal access token service")
struct TokenServiceTests {
    @Test func tokenHasPrefixChecksumAndIsStoredOnlyAsItsHash() throws {
        let fixture = try TokenFixture()
        let (token, record) = try fixture.service.create(tenant: "acme", userEmail: "Dana@Acme.test", name: "laptop")
        #expect(token.hasPrefix("dgpat_"))
        #expect(token.count == 6 + 33 + 6)  // 192 random bits in base62, then the checksum
        #expect(OpaqueToken.hasValidChecksum(token, prefix: "dgpat_"))
        #expect(record.masked == "dgpat_…" + token.suffix(4))
        #expect(record.name == "laptop" && record.userEmail == "dana@acme.test" && record.status == .active)
        #expect(record.scopes == Scopes.all)

        let stored = try fixture.database.withReader { db in
            try db.queryOne("SELECT token_hash FROM personal_access_tokens WHERE id = ?1", record.id) { $0.blob(0) }
        }
        #expect(stored == SHA256.hash(token))
        #expect(stored.map(Hex.encode) == OpaqueToken.storageHash(token))
        let bytes = try fixture.fileBytes()
        #expect(bytes.range(of: Data(token.utf8)) == nil)
        #expect(bytes.range(of: Data(token.dropFirst(6).prefix(20).utf8)) == nil)
        #expect(bytes.range(of: Data(OpaqueToken.storageHash(token).utf8)) == nil)
        #expect(bytes.range(of: Data("laptop".utf8)) != nil)  // the search itself works
    }

    @Test func eleventhActiveTokenIsRefusedUntilOneIsRevoked() throws {
        let fixture = try TokenFixture()
        let first = try fixture.create()
        for _ in 2...10 { _ = try fixture.create() }
        _ = try fixture.create("eli@acme.test")  // the limit is per user
        #expect(throws: DeskError.conflict("""
            dana@acme.test already has 10 active personal access tokens, the limit is 10 per user; revoke one \
            first ('deskgate token list --tenant acme --user dana@acme.test' shows their ids, \
            'deskgate token revoke --tenant acme ID' revokes one, or use the MCP Integration page)
            """)) { try fixture.create() }
        try fixture.service.revoke(tenant: "acme", id: first.record.id, by: .operator)
        _ = try fixture.create()
        #expect(throws: DeskError.self) { try fixture.create() }
    }

    @Test func expiredTokensDoNotCountTowardsTheLimit() throws {
        let fixture = try TokenFixture()
        for _ in 1...10 { _ = try fixture.create(days: 1) }
        #expect(throws: DeskError.self) { try fixture.create() }
        fixture.clock.advance(days: 1)
        let fresh = try fixture.create()
        #expect(fresh.record.status == .active)
        let statuses = try fixture.service.list(tenant: "acme", userEmail: "dana@acme.test").map(\.status)
        #expect(statuses == Array(repeating: .expired, count: 10) + [.active])
    }

    /// The test clock starts on 2027-01-15, so the next two years hold 2028-02-29: 731 days.
    @Test(arguments: [
        (nil, 731), (1, 1), (30, 30), (730, 730), (731, 731), (0, nil), (732, nil), (-5, nil), (100_000, nil),
    ] as [(Int?, Int?)])
    func expiryIsOneDayToTwoYears(requested: Int?, expectedDays: Int?) throws {
        let fixture = try TokenFixture()
        if let expectedDays {
            let record = try fixture.create(days: requested).record
            #expect(record.expiresAt - record.createdAt == Int64(expectedDays) * 86_400_000)
            #expect(record.createdAt == fixture.clock.value)
        } else {
            #expect(throws: DeskError.invalid(field: "expires_in_days",
                                              reason: "must be between 1 and 731 days (two years from today), got \(requested!)")) {
                try fixture.create(days: requested)
            }
        }
    }

    /// Two calendar years, whatever the leap days: (created, latest expiry, days allowed).
    @Test(arguments: [
        (1_796_597_520_000 as Int64, 1_859_755_920_000 as Int64, 731),  // 2026-12-06T22:52Z → 2028-12-06, past 2028-02-29
        (1_835_481_600_000, 1_898_553_600_000, 730),                     // 2028-03-01 → 2030-03-01, no 29 February
        (1_835_438_400_000, 1_898_510_400_000, 730),                     // 2028-02-29T12:00Z → 2030-02-28T12:00Z
    ])
    func theLongestLifetimeIsTwoCalendarYears(created: Int64, latest: Int64, days: Int) throws {
        let fixture = try TokenFixture()
        fixture.clock.set(created)
        #expect(try fixture.create().record.expiresAt == latest)
        #expect(try fixture.create(days: days).record.expiresAt == latest)
        #expect(throws: DeskError.self) { try fixture.create(days: days + 1) }
    }

    @Test func namesAreOptionalAndAtMostAHundredCharacters() throws {
        let fixture = try TokenFixture()
        #expect(try fixture.service.create(tenant: "acme", userEmail: "dana@acme.test", name: nil).record.name == "")
        #expect(try fixture.service.create(tenant: "acme", userEmail: "dana@acme.test", name: "  ").record.name == "")
        let long = String(repeating: "n", count: 100)
        #expect(try fixture.service.create(tenant: "acme", userEmail: "dana@acme.test", name: long).record.name == long)
        #expect(throws: DeskError.invalid(field: "name", reason: "must be at most 100 characters")) {
            try fixture.service.create(tenant: "acme", userEmail: "dana@acme.test", name: long + "n")
        }
    }

    @Test(arguments: [
        ("tickets:read", Scopes.ticketsRead),
        ("tickets:read tickets:write", [.ticketsRead, .ticketsWrite]),
        ("directory:read,tickets:read", [.directoryRead, .ticketsRead]),
        (" tickets:write , directory:read ", [.ticketsWrite, .directoryRead]),
        ("tickets:read tickets:read", [.ticketsRead]),
        ("tickets:read,tickets:write,directory:read", Scopes.all),
    ] as [(String, Scopes)])
    func scopeListsParse(text: String, expected: Scopes) throws {
        #expect(try Scopes.parse(text) == expected)
    }

    @Test(arguments: ["", " , ", "tickets:delete", "Tickets:Read", "tickets:read admin", "tickets"])
    func badScopeListsNameTheValidOnes(text: String) {
        #expect {
            try Scopes.parse(text)
        } throws: { error in
            guard case DeskError.invalid(field: "scope", let reason) = error else { return false }
            return reason.hasSuffix("valid scopes: tickets:read, tickets:write, directory:read")
        }
    }

    @Test func scopesAreStoredAsGiven() throws {
        let fixture = try TokenFixture()
        let record = try fixture.service.create(tenant: "acme", userEmail: "dana@acme.test", scopes: [.directoryRead]).record
        #expect(record.scopes == [.directoryRead])
        #expect(throws: DeskError.self) {
            try fixture.service.create(tenant: "acme", userEmail: "dana@acme.test", scopes: [])
        }
    }

    @Test func ownerAdminAndOperatorMayRevokeOthersMayNot() throws {
        let fixture = try TokenFixture()
        let users = try fixture.database.withReader { db in
            try TenantDirectory().bySlug("acme", on: db)!.scope.users.list(on: db).items
        }
        func id(_ email: String) -> Int64? { users.first { $0.email == email }?.id }
        let byOwner = try fixture.create().record
        let byAdmin = try fixture.create().record
        let byOperator = try fixture.create().record

        let globexAdmin = try fixture.database.withReader { db in
            try TenantDirectory().bySlug("globex", on: db)!.scope.users.byEmail("admin@globex.test", on: db)!.id
        }
        #expect(throws: DeskError.notFound("personal access token #\(byOwner.id)")) {
            try fixture.service.revoke(tenant: "acme", id: byOwner.id, by: .agent(userID: id("eli@acme.test")!))
        }
        #expect(throws: DeskError.notFound("personal access token #\(byOwner.id)")) {
            try fixture.service.revoke(tenant: "globex", id: byOwner.id, by: .agent(userID: globexAdmin))
        }
        // An agent of another tenant is no agent here, whatever their id.
        #expect(throws: DeskError.notFound("personal access token #\(byOwner.id)")) {
            try fixture.service.revoke(tenant: "acme", id: byOwner.id, by: .agent(userID: globexAdmin))
        }
        #expect(try fixture.service.revoke(tenant: "acme", id: byOwner.id, by: .agent(userID: id("dana@acme.test")!)).revokedBy
                == id("dana@acme.test"))
        #expect(try fixture.service.revoke(tenant: "acme", id: byAdmin.id, by: .agent(userID: id("admin@acme.test")!)).revokedBy
                == id("admin@acme.test"))
        let revoked = try fixture.service.revoke(tenant: "acme", id: byOperator.id, by: .operator)
        #expect(revoked.revokedBy == nil && revoked.status == .revoked && revoked.revokedAt == fixture.clock.value)
        #expect(throws: DeskError.conflict("personal access token #\(byOperator.id) is already revoked")) {
            try fixture.service.revoke(tenant: "acme", id: byOperator.id, by: .operator)
        }
    }

    @Test func listsPerUserOrTenantWide() throws {
        let fixture = try TokenFixture()
        let dana = try fixture.create().record
        let eli = try fixture.create("eli@acme.test").record
        _ = try fixture.create("admin@globex.test", tenant: "globex")
        #expect(try fixture.service.list(tenant: "acme").map(\.id) == [dana.id, eli.id])
        #expect(try fixture.service.list(tenant: "acme").map(\.userEmail) == ["dana@acme.test", "eli@acme.test"])
        #expect(try fixture.service.list(tenant: "acme", userEmail: "eli@acme.test") == [eli])
        #expect(throws: DeskError.notFound("user 'nobody@acme.test' in tenant 'acme'")) {
            try fixture.service.list(tenant: "acme", userEmail: "nobody@acme.test")
        }
    }

    @Test func suspendedTenantsGetNoNewTokens() throws {
        let fixture = try TokenFixture()
        let existing = try fixture.create().record
        _ = try TenantService(database: fixture.database).setStatus(.suspended, slug: "acme")
        #expect(throws: DeskError.forbidden("tenant 'acme' is suspended; no tokens can be issued")) { try fixture.create() }
        // Still listable and revocable: cleaning up must stay possible.
        #expect(try fixture.service.revoke(tenant: "acme", id: existing.id, by: .operator).status == .revoked)
    }
}
