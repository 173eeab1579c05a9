import DeskgateCrypto
import Foundation
import Synchronization
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
@testable import DeskgateStore
import DeskgateModel

/// A clock in milliseconds that tests move by hand.
final class OAuthClock: Sendable {
    private let now = Mutex<Int64>(1_800_000_000_000)
    var read: @Sendable () -> Int64 { { [self] in self.now.withLock { $0 } } }
    func advance(seconds: Int) { now.withLock { $0 += Int64(seconds) * 1000 } }
}

/// Codes and refresh tokens through the real services on a temporary database: single use,
/// replay revocation, rotation, the grace window and reuse detection.
final class OAuthFixture {
    let directory = NSTemporaryDirectory() + "deskgate-oauth-\(UUID().uuidString)"
    let database: Database
    let clock = OAuthClock()
    let tenant: Tenant
    let context: IssuerContext
    let admin: User
    let client: OAuthClient
    let tokens: OAuthTokenService
    let grants: AuthorizationGrants
    static let redirect = "http://127.0.0.1/cb"
    static let resource = "http://mcp.test/t/acme/mcp"

    init(graceSeconds: Int = 10) throws {
        database = try Database.open(path: directory + "/db.sqlite")
        tenant = try TenantService(database: database).create(slug: "acme", name: "Acme")
        admin = try DirectoryService(database: database, scope: tenant.scope)
            .createAgent(AgentDraft(email: "admin@acme.test", name: "Admin", role: .admin)).user
        context = IssuerContext(tenant: tenant, issuer: "http://auth.test/t/acme", resource: Self.resource)
        let registration = ClientRegistration(redirectURIs: [Self.redirect], tokenEndpointAuthMethod: "none",
                                              grantTypes: ["authorization_code", "refresh_token"], applicationType: "native")
        client = try ClientRegistry(database: database, clock: clock.read).register(registration, tenant: tenant.scope).get().client
        let key = try DeskgateCrypto.SigningKey.generate()
        try database.write { tx in
            _ = try SigningKeyStore().publish(kid: key.keyID, alg: "ES256", publicJWKJSON: key.publicKey.jwkJSON, in: tx)
        }
        tokens = OAuthTokenService(database: database, signer: AccessTokenSigner(key: key),
                                   lifetimes: TokenLifetimes(accessSeconds: 3600, refreshSeconds: 86_400, reuseGraceSeconds: graceSeconds),
                                   clock: clock.read)
        grants = AuthorizationGrants(database: database, codeLifetimeSeconds: 60, clock: clock.read)
    }

    deinit {
        database.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A code for the admin after consent, with its verifier.
    func code(scopes: Scopes = [.ticketsRead]) throws -> (code: String, verifier: String) {
        let verifier = PKCE.generateVerifier()
        let request = ApprovedRequest(clientID: client.clientID, redirectURI: Self.redirect,
                                      codeChallenge: PKCE.challengeS256(for: verifier), resource: Self.resource, scopes: scopes)
        return (try grants.approve(request, userID: admin.id, tenant: tenant.scope, address: nil), verifier)
    }

    func redeem(_ code: String, _ verifier: String, redirect: String = redirect) async throws -> Result<IssuedTokens, OAuthFailure> {
        try await tokens.redeemCode(code, redirectURI: redirect, verifier: verifier, resource: nil, client: client, context: context)
    }

    func refresh(_ token: String) async throws -> Result<IssuedTokens, OAuthFailure> {
        try await tokens.refresh(token, scope: nil, resource: nil, client: client, context: context)
    }

    func grant(_ id: Int64) throws -> OAuthGrant? {
        try database.withReader { try tenant.scope.oauthGrants.byID(id, on: $0) }
    }
}

extension Result where Failure == OAuthFailure {
    var errorCode: String? {
        if case .failure(let failure) = self { return failure.code }
        return nil
    }
}

struct AuthorizationCodeTests {
    @Test func aCodeIsRedeemedOnceAndItsReplayRevokesTheGrant() async throws {
        let fixture = try OAuthFixture()
        let (code, verifier) = try fixture.code()
        let issued = try await fixture.redeem(code, verifier).get()
        #expect(issued.scope == "tickets:read" && issued.refreshToken != nil && issued.expiresIn == 3600)
        #expect(try fixture.grant(issued.grantID)?.revokedAt == nil)

        #expect(try await fixture.redeem(code, verifier).errorCode == "invalid_grant")
        #expect(try fixture.grant(issued.grantID)?.revokedAt != nil)
        // What the code minted is dead too.
        #expect(try await fixture.refresh(issued.refreshToken!).errorCode == "invalid_grant")
    }

    @Test func aCodeIsBoundToVerifierRedirectAndLifetime() async throws {
        let fixture = try OAuthFixture()
        let (code, verifier) = try fixture.code()
        #expect(try await fixture.redeem(code, PKCE.generateVerifier()).errorCode == "invalid_grant")
        #expect(try await fixture.redeem(code, verifier, redirect: "http://127.0.0.1:9/cb").errorCode == "invalid_grant")
        #expect(try await fixture.tokens.redeemCode(code, redirectURI: OAuthFixture.redirect, verifier: verifier,
                                              resource: "https://other.example/mcp", client: fixture.client,
                                              context: fixture.context).errorCode == "invalid_target")
        #expect(try await fixture.tokens.redeemCode(code, redirectURI: OAuthFixture.redirect, verifier: nil, resource: nil,
                                              client: fixture.client, context: fixture.context).errorCode == "invalid_request")
        // None of those spent the code.
        #expect(try await fixture.redeem(code, verifier).errorCode == nil)

        let (late, lateVerifier) = try fixture.code()
        fixture.clock.advance(seconds: 61)
        #expect(try await fixture.redeem(late, lateVerifier).errorCode == "invalid_grant")
    }

    @Test func aCodeOfAnotherClientIsRefused() async throws {
        let fixture = try OAuthFixture()
        let (code, verifier) = try fixture.code()
        let other = try ClientRegistry(database: fixture.database).register(
            ClientRegistration(redirectURIs: [OAuthFixture.redirect], tokenEndpointAuthMethod: "none", clientName: "other"),
            tenant: fixture.tenant.scope).get().client
        let stolen = try await fixture.tokens.redeemCode(code, redirectURI: OAuthFixture.redirect, verifier: verifier, resource: nil,
                                                   client: other, context: fixture.context)
        #expect(stolen.errorCode == "invalid_grant")
        #expect(try await fixture.redeem(code, verifier).errorCode == nil)
    }

    @Test func rememberedConsentCoversOnlyWhatWasApproved() async throws {
        let fixture = try OAuthFixture()
        _ = try fixture.code(scopes: [.ticketsRead])
        func request(_ scopes: Scopes) -> ApprovedRequest {
            ApprovedRequest(clientID: fixture.client.clientID, redirectURI: OAuthFixture.redirect, codeChallenge: "x",
                            resource: OAuthFixture.resource, scopes: scopes)
        }
        let scope = fixture.tenant.scope
        #expect(try fixture.grants.issueRemembered(request([.ticketsRead]), userID: fixture.admin.id, tenant: scope) != nil)
        #expect(try fixture.grants.issueRemembered(request([.ticketsRead, .ticketsWrite]), userID: fixture.admin.id,
                                                   tenant: scope) == nil)
        _ = try fixture.code(scopes: [.ticketsWrite])   // approving more widens the same grant
        #expect(try fixture.grants.issueRemembered(request([.ticketsRead, .ticketsWrite]), userID: fixture.admin.id,
                                                   tenant: scope) != nil)
    }
}

struct RefreshTokenTests {
    @Test func everyRefreshRotates() async throws {
        let fixture = try OAuthFixture(graceSeconds: 0)
        let (code, verifier) = try fixture.code()
        var current = try await fixture.redeem(code, verifier).get()
        for _ in 0..<3 {
            fixture.clock.advance(seconds: 1)
            let next = try await fixture.refresh(current.refreshToken!).get()
            #expect(next.refreshToken != current.refreshToken && next.grantID == current.grantID)
            current = next
        }
    }

    @Test func reuseAfterTheWindowRevokesTheGrant() async throws {
        let fixture = try OAuthFixture(graceSeconds: 10)
        let (code, verifier) = try fixture.code()
        let first = try await fixture.redeem(code, verifier).get()
        let second = try await fixture.refresh(first.refreshToken!).get()
        fixture.clock.advance(seconds: 11)
        #expect(try await fixture.refresh(first.refreshToken!).errorCode == "invalid_grant")
        #expect(try fixture.grant(first.grantID)?.revokedAt != nil)
        #expect(try await fixture.refresh(second.refreshToken!).errorCode == "invalid_grant")
    }

    @Test func aConcurrentRefreshInsideTheWindowAlsoSucceeds() async throws {
        let fixture = try OAuthFixture(graceSeconds: 10)
        let (code, verifier) = try fixture.code()
        let first = try await fixture.redeem(code, verifier).get()
        let a = try await fixture.refresh(first.refreshToken!).get()
        fixture.clock.advance(seconds: 5)
        let b = try await fixture.refresh(first.refreshToken!).get()
        #expect(a.refreshToken != b.refreshToken)
        #expect(try fixture.grant(first.grantID)?.revokedAt == nil)
        // Both successors live on, each rotating normally.
        #expect(try await fixture.refresh(a.refreshToken!).errorCode == nil)
        #expect(try await fixture.refresh(b.refreshToken!).errorCode == nil)
    }

    @Test func expiredAndForeignTokensAreInvalidGrant() async throws {
        let fixture = try OAuthFixture()
        let (code, verifier) = try fixture.code()
        let first = try await fixture.redeem(code, verifier).get()
        #expect(try await fixture.refresh("dgrt_" + String(repeating: "a", count: 39)).errorCode == "invalid_grant")
        fixture.clock.advance(seconds: 86_401)
        #expect(try await fixture.refresh(first.refreshToken!).errorCode == "invalid_grant")
        #expect(try fixture.grant(first.grantID)?.revokedAt == nil)   // expiry is not theft
    }

    @Test func revokingAGrantStopsItsTokensAndIntrospection() async throws {
        let fixture = try OAuthFixture()
        let (code, verifier) = try fixture.code()
        let issued = try await fixture.redeem(code, verifier).get()
        #expect(try fixture.tokens.introspect(issued.accessToken, context: fixture.context) != nil)
        try fixture.tokens.revoke(issued.refreshToken!, client: fixture.client, context: fixture.context)
        #expect(try fixture.tokens.introspect(issued.accessToken, context: fixture.context) == nil)
        #expect(try await fixture.refresh(issued.refreshToken!).errorCode == "invalid_grant")
    }
}

struct HousekeepingTests {
    /// Rotation adds a row per refresh; the daily sweep removes tokens a day past their expiry or
    /// revocation, and the chain that is still in use keeps working (reuse detection included).
    @Test func endedRefreshTokensAreSweptAndTheLiveChainKeepsWorking() async throws {
        let fixture = try OAuthFixture()   // refresh tokens live a day here
        let registry = ClientRegistry(database: fixture.database, clock: fixture.clock.read)
        func rows() throws -> [(id: Int64, parent: Int64?)] {
            try fixture.database.withReader { db in
                try db.queryAll("SELECT id, parent_id FROM oauth_refresh_tokens ORDER BY id") { ($0.int64(0), $0.optionalInt64(1)) }
            }
        }
        let (code, verifier) = try fixture.code()
        let a = try await fixture.redeem(code, verifier).get()           // t0, expires at 24 h
        fixture.clock.advance(seconds: 20 * 3600)
        let b = try await fixture.refresh(a.refreshToken!).get()          // 20 h, expires at 44 h
        fixture.clock.advance(seconds: 20 * 3600)
        let c = try await fixture.refresh(b.refreshToken!).get()          // 40 h, expires at 64 h
        fixture.clock.advance(seconds: 10 * 3600)                         // 50 h: the sweep's cutoff is 26 h
        #expect(try rows().count == 3)
        #expect(try registry.sweepEnded() == 2)                          // token a and the redeemed code
        let left = try rows()
        #expect(left.count == 2 && left[0].parent == nil && left[1].parent == left[0].id)

        _ = try await fixture.refresh(c.refreshToken!).get()              // the live chain rotates on
        #expect(try await fixture.refresh(a.refreshToken!).errorCode == "invalid_grant")
        #expect(try fixture.grant(a.grantID)?.revokedAt == nil)           // a deleted token is unknown, not reuse
        #expect(try await fixture.refresh(b.refreshToken!).errorCode == "invalid_grant")
        #expect(try fixture.grant(a.grantID)?.revokedAt != nil)           // b, rotated and kept, is reuse

        fixture.clock.advance(seconds: 86_400 + 1)
        #expect(try registry.sweepEnded() == 3)                          // b, c and d, revoked with the grant
        #expect(try rows().isEmpty)
    }

    @Test func idleClientsGoWithTheirGrantsAndEndedCodesAreSwept() async throws {
        let fixture = try OAuthFixture()
        let (code, verifier) = try fixture.code()
        let issued = try await fixture.redeem(code, verifier).get()
        let rotated = try await fixture.refresh(issued.refreshToken!).get()
        _ = try await fixture.refresh(rotated.refreshToken!).get()   // a chain of three: deletion must take it whole
        let registry = ClientRegistry(database: fixture.database, clock: fixture.clock.read)
        #expect(try registry.purgeIdle(idleDays: 30) == 0)
        fixture.clock.advance(seconds: 2 * 86_400)
        #expect(try registry.sweepEnded() == 1)   // the redeemed code, a day past its expiry
        fixture.clock.advance(seconds: 29 * 86_400)
        #expect(try registry.purgeIdle(idleDays: 30) == 1)
        #expect(try fixture.grant(issued.grantID) == nil)
        #expect(try fixture.database.withReader { try fixture.tenant.scope.oauthClients.list(on: $0) }.isEmpty)
    }
}
