import DeskgateSQLite
import DeskgateCrypto
import Foundation
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
@testable import DeskgateStore
import DeskgateModel

@Suite("Token authenticator")
struct TokenAuthenticatorTests {
    enum Setup: String, CaseIterable {
        case valid, garbage, unknownButWellFormed, expired, revoked, otherTenantsToken, suspendedTenant, inactiveUser
    }

    static let outcomes: [Setup: TokenRejection?] = [
        .valid: nil, .garbage: .malformed, .unknownButWellFormed: .unknown, .expired: .expired, .revoked: .revoked,
        .otherTenantsToken: .wrongTenant, .suspendedTenant: .tenantSuspended, .inactiveUser: .userInactive,
    ]

    /// Flips a user's active flag the way an admin page will (no service does it yet).
    static func setActive(_ active: Bool, email: String, in fixture: TokenFixture) throws {
        try fixture.database.write { tx in
            try tx.connection.run("UPDATE users SET is_active = ?1 WHERE email = ?2", active, email)
        }
    }

    /// The token each case presents at tenant `acme`.
    static func token(for setup: Setup, in fixture: TokenFixture) throws -> String {
        switch setup {
        case .valid: return try fixture.create().token
        case .garbage: return "dgpat_not-a-token"
        case .unknownButWellFormed: return OpaqueToken.generate(prefix: "dgpat_")
        case .expired:
            // Straight through the repository: the service never mints an already-expired token.
            let token = OpaqueToken.generate(prefix: "dgpat_")
            let now = fixture.clock.value
            try fixture.database.write { tx in
                let scope = try TenantDirectory().bySlug("acme", on: tx.connection)!.scope
                let user = try scope.users.byEmail("dana@acme.test", on: tx.connection)!
                _ = try scope.personalAccessTokens.create(NewPersonalAccessToken(
                    userID: user.id, name: "", tokenHash: SHA256.hash(token), masked: "dgpat_…" + token.suffix(4),
                    scopes: ["tickets:read"], expiresAt: now - 1, createdAt: now - 10), in: tx)
            }
            return token
        case .revoked:
            let created = try fixture.create()
            try fixture.service.revoke(tenant: "acme", id: created.record.id, by: .operator)
            return created.token
        case .otherTenantsToken: return try fixture.create("admin@globex.test", tenant: "globex").token
        case .suspendedTenant:
            let token = try fixture.create().token
            _ = try TenantService(database: fixture.database).setStatus(.suspended, slug: "acme")
            return token
        case .inactiveUser:
            let token = try fixture.create().token
            try setActive(false, email: "dana@acme.test", in: fixture)
            return token
        }
    }

    @Test(arguments: Setup.allCases)
    func authenticates(_ setup: Setup) throws {
        let fixture = try TokenFixture()
        let authenticator = TokenAuthenticator(cacheCapacity: 100, clock: fixture.clock.read)
        let token = try Self.token(for: setup, in: fixture)
        let result = try fixture.database.withReader { try authenticator.authenticate(token, tenantSlug: "acme", on: $0) }
        switch (result, Self.outcomes[setup]!) {
        case (.success(let principal), nil):
            #expect(principal.tenant.slug == "acme")
            #expect(principal.user.email == "dana@acme.test")
            #expect(principal.scopes == Scopes.all)
            // Two calendar years from 2027-01-15, across 2028-02-29: 731 days.
            #expect(principal.expiresAt == fixture.clock.value + 731 * 86_400_000)
        case (.failure(let rejection), let expected?):
            #expect(rejection == expected)
        default:
            Issue.record("\(setup): got \(result), expected \(String(describing: Self.outcomes[setup]!))")
        }
    }

    @Test func garbageNeverReachesTheDatabase() throws {
        let fixture = try TokenFixture()
        let authenticator = TokenAuthenticator(cacheCapacity: 100, clock: fixture.clock.read)
        let valid = try fixture.create().token
        let broken = String(valid.dropLast()) + (valid.last == "a" ? "b" : "a")  // one mistyped character
        let reader = try fixture.database.openReader()
        let prepared = (reader as! SQLiteConnection).preparedStatementCount
        for presented in [broken, String(valid.dropLast()), "", "ghp_" + valid.dropFirst(6), valid.uppercased()] {
            #expect(try authenticator.authenticate(presented, tenantSlug: "acme", on: reader) == .failure(.malformed))
        }
        #expect((reader as! SQLiteConnection).preparedStatementCount == prepared)
    }

    @Test func cacheServesSteadyTrafficButNeverARevokedToken() throws {
        let fixture = try TokenFixture()
        let authenticator = TokenAuthenticator(cacheCapacity: 100, clock: fixture.clock.read)
        let created = try fixture.create()
        let reader = try fixture.database.openReader()
        func check() throws -> Result<TokenPrincipal, TokenRejection> {
            try authenticator.authenticate(created.token, tenantSlug: "acme", on: reader)
        }
        guard case .success = try check() else { Issue.record("fresh token refused"); return }
        #expect(authenticator.cachedPrincipalCount == 1)

        // Prove the cache answers: a change no trigger sees (and no real code path makes)
        // is invisible until the revocation counter moves.
        try fixture.database.write { tx in
            try tx.connection.run("UPDATE personal_access_tokens SET scopes = 'tickets:read' WHERE id = ?1", created.record.id)
        }
        guard case .success(let cached) = try check() else { Issue.record("cached token refused"); return }
        #expect(cached.scopes == Scopes.all)
        // The cached principal still belongs to acme only.
        #expect(try authenticator.authenticate(created.token, tenantSlug: "globex", on: reader) == .failure(.wrongTenant))

        try fixture.service.revoke(tenant: "acme", id: created.record.id, by: .agent(userID: created.record.userID))
        #expect(try check() == .failure(.revoked))
        #expect(authenticator.cachedPrincipalCount == 0)
    }

    @Test func deactivationAndSuspensionAlsoReachCachedTokens() throws {
        let fixture = try TokenFixture()
        let authenticator = TokenAuthenticator(cacheCapacity: 100, clock: fixture.clock.read)
        let token = try fixture.create().token
        let reader = try fixture.database.openReader()
        func check() throws -> Result<TokenPrincipal, TokenRejection> {
            try authenticator.authenticate(token, tenantSlug: "acme", on: reader)
        }
        #expect(try check().isSuccess)
        try Self.setActive(false, email: "dana@acme.test", in: fixture)
        #expect(try check() == .failure(.userInactive))
        try Self.setActive(true, email: "dana@acme.test", in: fixture)
        #expect(try check().isSuccess)
        _ = try TenantService(database: fixture.database).setStatus(.suspended, slug: "acme")
        #expect(try check() == .failure(.tenantSuspended))
        _ = try TenantService(database: fixture.database).setStatus(.active, slug: "acme")
        #expect(try check().isSuccess)
    }

    /// Memberships travel with the cached principal (they decide what an agent sees), so adding
    /// or removing one must reach a cached token on the very next call (migration 3's triggers).
    @Test func membershipChangesReachCachedPrincipals() throws {
        let fixture = try TokenFixture()
        let authenticator = TokenAuthenticator(cacheCapacity: 100, clock: fixture.clock.read)
        let token = try fixture.create().token
        let reader = try fixture.database.openReader()
        func departments() throws -> [Int64]? {
            guard case .success(let principal) = try authenticator.authenticate(token, tenantSlug: "acme", on: reader) else {
                Issue.record("token refused")
                return nil
            }
            return principal.departmentIDs
        }
        #expect(try departments() == [])
        let (billing, support) = try fixture.database.write { tx in
            let scope = try TenantDirectory().bySlug("acme", on: tx.connection)!.scope
            let dana = try scope.users.byEmail("dana@acme.test", on: tx.connection)!
            let billing = try scope.departments.create(name: "Billing", in: tx)
            let support = try scope.departments.create(name: "Support", in: tx)
            try scope.departments.addMember(departmentID: billing.id, userID: dana.id, isPrimary: true, in: tx)
            return (billing.id, support.id)
        }
        #expect(try departments() == [billing])
        try fixture.database.write { tx in
            let scope = try TenantDirectory().bySlug("acme", on: tx.connection)!.scope
            let dana = try scope.users.byEmail("dana@acme.test", on: tx.connection)!
            try scope.departments.addMember(departmentID: support, userID: dana.id, isPrimary: true, in: tx)
        }
        #expect(try departments() == [support, billing])
        try fixture.database.write { tx in
            try tx.connection.run("DELETE FROM departments WHERE id = ?1", support)  // cascades to the membership
        }
        #expect(try departments() == [billing])
    }

    @Test func aCachedTokenStillExpiresOnTime() throws {
        let fixture = try TokenFixture()
        let authenticator = TokenAuthenticator(cacheCapacity: 100, clock: fixture.clock.read)
        let token = try fixture.create(days: 1).token
        let reader = try fixture.database.openReader()
        #expect(try authenticator.authenticate(token, tenantSlug: "acme", on: reader).isSuccess)
        fixture.clock.advance(days: 1)
        #expect(try authenticator.authenticate(token, tenantSlug: "acme", on: reader) == .failure(.expired))
    }

    @Test func usageIsCoalescedIntoOneTransaction() throws {
        let fixture = try TokenFixture()
        let authenticator = TokenAuthenticator(cacheCapacity: 100, clock: fixture.clock.read)
        let first = try fixture.create().record
        let second = try fixture.create("eli@acme.test").record
        let start = fixture.clock.value
        for step in 0..<200 {
            authenticator.noteUse(tokenID: step.isMultiple(of: 2) ? first.id : second.id, at: start + Int64(step))
        }
        authenticator.noteUse(tokenID: first.id, at: start - 5)  // a late, older note does not win
        #expect(authenticator.pendingUsageCount == 2)

        let jobsBefore = fixture.database.writer.statistics.committedJobs
        #expect(try authenticator.flushUsage(database: fixture.database) == 2)
        #expect(fixture.database.writer.statistics.committedJobs == jobsBefore + 1)
        #expect(authenticator.pendingUsageCount == 0)
        // Nothing noted: no write at all.
        #expect(try authenticator.flushUsage(database: fixture.database) == 0)
        #expect(fixture.database.writer.statistics.committedJobs == jobsBefore + 1)

        let listed = try fixture.service.list(tenant: "acme")
        #expect(listed.first { $0.id == first.id }?.lastUsedAt == start + 198)
        #expect(listed.first { $0.id == second.id }?.lastUsedAt == start + 199)
    }

    @Test func rejectionsExplainThemselves() {
        for rejection in TokenRejection.allCases {
            #expect(!rejection.description.isEmpty)
            #expect(!rejection.description.contains("dgpat_"))
        }
        #expect(Set(TokenRejection.allCases.map(\.description)).count == TokenRejection.allCases.count)
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}
