@testable import DeskgateCrypto
import Foundation
import Synchronization
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
@testable import DeskgateStore
import DeskgateModel

/// Mints access tokens the way deskgate-auth does (contract: RFC 9068 profile), and forged
/// ones the way an attacker would, against a database holding the published key and a grant.
final class AccessTokenFixture: @unchecked Sendable {
    static let authBase = "https://auth.example.test"
    static let mcpBase = "https://mcp.example.test"

    let tokens: TokenFixture
    let key: DeskgateCrypto.SigningKey
    private let now = Mutex<Int64>(1_800_000_000_000)
    /// dana's grant for client `app-1` in acme, and admin's for `app-g` in globex.
    let grantID: Int64
    let globexGrantID: Int64
    let danaID: Int64
    let globexAdminID: Int64

    var database: Database { tokens.database }
    var clock: @Sendable () -> Int64 { { [self] in self.nowMilliseconds } }
    var nowMilliseconds: Int64 { now.withLock { $0 } }
    var nowSeconds: Int64 { nowMilliseconds / 1000 }
    func advance(seconds: Int64) { now.withLock { $0 += seconds * 1000 } }

    init() throws {
        tokens = try TokenFixture()
        key = try DeskgateCrypto.SigningKey.generate()
        let publicKey = key.publicKey
        (grantID, globexGrantID, danaID, globexAdminID) = try tokens.database.write { tx in
            _ = try SigningKeyStore().publish(kid: publicKey.keyID, alg: "ES256", publicJWKJSON: publicKey.jwkJSON, in: tx)
            func grant(_ slug: String, _ email: String, _ client: String) throws -> (Int64, Int64) {
                let scope = try TenantDirectory().bySlug(slug, on: tx.connection)!.scope
                let user = try scope.users.byEmail(email, on: tx.connection)!
                try tx.connection.run("""
                    INSERT INTO oauth_clients (tenant_id, client_id, kind, name, created_at) VALUES (?1, ?2, 'dcr', 'Test app', 0)
                    """, scope.tenantID, client)
                let id = try tx.connection.queryOne("""
                    INSERT INTO oauth_grants (tenant_id, user_id, client_id, scopes, resource, created_at)
                    VALUES (?1, ?2, ?3, 'tickets:read tickets:write directory:read', ?4, 0) RETURNING id
                    """, scope.tenantID, user.id, client, "\(Self.mcpBase)/t/\(slug)/mcp") { $0.int64(0) }!
                return (id, user.id)
            }
            let (acme, dana) = try grant("acme", "dana@acme.test", "app-1")
            let (globex, admin) = try grant("globex", "admin@globex.test", "app-g")
            return (acme, globex, dana, admin)
        }
    }

    func verifier(capacity: Int = 100) -> JWTAccessTokenVerifier {
        JWTAccessTokenVerifier(urls: TenantURLs(authBase: Self.authBase, mcpBase: Self.mcpBase),
                               cacheCapacity: capacity, clock: clock)
    }

    /// The claims deskgate-auth puts in dana's token; `changes` override or (with NSNull) remove.
    func claims(_ changes: [String: Any] = [:]) -> [String: Any] {
        var claims: [String: Any] = [
            "iss": "\(Self.authBase)/t/acme", "sub": String(danaID), "aud": "\(Self.mcpBase)/t/acme/mcp",
            "client_id": "app-1", "scope": "tickets:read tickets:write", "tenant": "acme",
            "iat": nowSeconds, "nbf": nowSeconds, "exp": nowSeconds + 3600, "jti": "j-\(UUID().uuidString)",
            "grant_id": grantID,
        ]
        for (name, value) in changes {
            if value is NSNull { claims.removeValue(forKey: name) } else { claims[name] = value }
        }
        return claims
    }

    func token(_ changes: [String: Any] = [:]) throws -> String {
        let payload = try JSONSerialization.data(withJSONObject: claims(changes), options: [.sortedKeys])
        return JWS.sign(payload: Array(payload), key: key)
    }

    /// A token with any header, signed with `signer` (ES256 over the signing input), or with
    /// the raw `signature` given.
    func forged(header: [String: Any], claims changes: [String: Any] = [:], signer: DeskgateCrypto.SigningKey? = nil,
                signature: (([UInt8]) -> [UInt8])? = nil) throws -> String {
        let head = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let payload = try JSONSerialization.data(withJSONObject: claims(changes), options: [.sortedKeys])
        let input = Base64URL.encode(Array(head)) + "." + Base64URL.encode(Array(payload))
        let bytes: [UInt8] = if let signature { signature(Array(input.utf8)) }
            else { ECDSASignature.sign(Array(input.utf8), with: (signer ?? key).key) }
        return input + "." + Base64URL.encode(bytes)
    }

    func revokeGrant(_ id: Int64) throws {
        try database.write { tx in try tx.connection.run("UPDATE oauth_grants SET revoked_at = 1 WHERE id = ?1", id) }
    }
}

@Suite("JWT access token verifier")
struct JWTAccessTokenVerifierTests {
    enum Case: String, CaseIterable {
        case valid, arrayAudience, expiredWithinLeeway, applicationTypePrefix
        case algNone, hs256WithPublicKey, rs256Header, unknownKid, missingKid, signedByOtherKey, truncatedSignature
        case wrongTyp, missingTyp, wrongIssuer, wrongAudience, expired, notYetValid, missingExp, subNotAString
        case missingGrantID, otherTenantsToken, revokedGrant, missingGrant, grantOfAnotherUser, grantOfAnotherClient
        case inactiveUser, suspendedTenant, retiredKey, keyPinnedToAnotherAlgorithm, notAJWT
    }

    static let expected: [Case: AccessTokenRejection?] = [
        .valid: nil, .arrayAudience: nil, .expiredWithinLeeway: nil, .applicationTypePrefix: nil,
        .algNone: .unsupportedAlgorithm, .hs256WithPublicKey: .unsupportedAlgorithm, .rs256Header: .unsupportedAlgorithm,
        .unknownKid: .unknownKey, .missingKid: .unknownKey, .signedByOtherKey: .badSignature,
        .truncatedSignature: .badSignature, .wrongTyp: .wrongType, .missingTyp: .wrongType,
        .wrongIssuer: .wrongIssuer, .wrongAudience: .wrongAudience, .expired: .expired, .notYetValid: .notYetValid,
        .missingExp: .invalidClaims, .subNotAString: .invalidClaims, .missingGrantID: .invalidClaims,
        .otherTenantsToken: .wrongTenant, .revokedGrant: .grantRevoked, .missingGrant: .grantRevoked,
        .grantOfAnotherUser: .grantRevoked, .grantOfAnotherClient: .grantRevoked, .inactiveUser: .userInactive,
        .suspendedTenant: .tenantSuspended, .retiredKey: .unknownKey, .keyPinnedToAnotherAlgorithm: .unknownKey,
        .notAJWT: .malformed,
    ]

    /// The token each case presents at acme's endpoint (after arranging the database).
    static func token(for setup: Case, in f: AccessTokenFixture) throws -> String {
        let kid = f.key.keyID
        let s = f.nowSeconds
        switch setup {
        case .valid: return try f.token()
        case .arrayAudience: return try f.token(["aud": ["https://other.test", "\(AccessTokenFixture.mcpBase)/t/acme/mcp"]])
        case .expiredWithinLeeway: return try f.token(["exp": s - 30, "iat": s - 3630, "nbf": s - 3630])
        case .applicationTypePrefix: return try f.forged(header: ["alg": "ES256", "typ": "application/at+jwt", "kid": kid])
        case .algNone: return try f.forged(header: ["alg": "none", "typ": "at+jwt", "kid": kid], signature: { _ in [] })
        case .hs256WithPublicKey:
            // The classic confusion: HMAC keyed with the verifier's public key, in each usual spelling.
            return try f.forged(header: ["alg": "HS256", "typ": "at+jwt", "kid": kid]) {
                HMACSHA256.authenticate(key: Array(f.key.publicKey.jwkJSON.utf8), data: $0)
            }
        case .rs256Header: return try f.forged(header: ["alg": "RS256", "typ": "at+jwt", "kid": kid])
        case .unknownKid:
            let stranger = try DeskgateCrypto.SigningKey.generate()
            return try f.forged(header: ["alg": "ES256", "typ": "at+jwt", "kid": stranger.keyID], signer: stranger)
        case .missingKid: return try f.forged(header: ["alg": "ES256", "typ": "at+jwt"])
        case .signedByOtherKey:
            return try f.forged(header: ["alg": "ES256", "typ": "at+jwt", "kid": kid], signer: try DeskgateCrypto.SigningKey.generate())
        case .truncatedSignature:
            return try f.forged(header: ["alg": "ES256", "typ": "at+jwt", "kid": kid]) {
                Array(ECDSASignature.sign($0, with: f.key.key).prefix(63))
            }
        case .wrongTyp: return try f.forged(header: ["alg": "ES256", "typ": "JWT", "kid": kid])
        case .missingTyp: return try f.forged(header: ["alg": "ES256", "kid": kid])
        case .wrongIssuer: return try f.token(["iss": "https://evil.example/t/acme"])
        case .wrongAudience: return try f.token(["aud": "https://other-server.example/mcp"])
        case .expired: return try f.token(["exp": s - 61, "iat": s - 3661, "nbf": s - 3661])
        case .notYetValid: return try f.token(["nbf": s + 120, "iat": s])
        case .missingExp: return try f.token(["exp": NSNull()])
        case .subNotAString: return try f.token(["sub": f.danaID])
        case .missingGrantID: return try f.token(["grant_id": NSNull()])
        case .otherTenantsToken:
            return try f.token(["iss": "\(AccessTokenFixture.authBase)/t/globex", "aud": "\(AccessTokenFixture.mcpBase)/t/globex/mcp",
                                "tenant": "globex", "sub": String(f.globexAdminID), "client_id": "app-g",
                                "grant_id": f.globexGrantID])
        case .revokedGrant:
            try f.revokeGrant(f.grantID)
            return try f.token()
        case .missingGrant: return try f.token(["grant_id": f.grantID + 1000])
        case .grantOfAnotherUser:
            let eli = try f.database.withReader { db in
                try TenantDirectory().bySlug("acme", on: db)!.scope.users.byEmail("eli@acme.test", on: db)!.id
            }
            return try f.token(["sub": String(eli)])
        case .grantOfAnotherClient: return try f.token(["client_id": "app-2"])
        case .inactiveUser:
            try TokenAuthenticatorTests.setActive(false, email: "dana@acme.test", in: f.tokens)
            return try f.token()
        case .suspendedTenant:
            _ = try TenantService(database: f.database).setStatus(.suspended, slug: "acme")
            return try f.token()
        case .retiredKey:
            try f.database.write { tx in _ = try SigningKeyStore().setState(.retired, kid: kid, in: tx) }
            return try f.token()
        case .keyPinnedToAnotherAlgorithm:
            // A published row whose alg column is not ES256: its key verifies nothing, even ES256.
            try f.database.write { tx in try tx.connection.run("UPDATE signing_keys SET alg = 'EdDSA' WHERE kid = ?1", kid) }
            return try f.token()
        case .notAJWT: return "not.a.jwt"
        }
    }

    @Test(arguments: Case.allCases)
    func verifies(_ setup: Case) throws {
        let f = try AccessTokenFixture()
        let verifier = f.verifier()
        let token = try Self.token(for: setup, in: f)
        let result = try f.database.withReader { try verifier.authenticate(token, tenantSlug: "acme", on: $0) }
        switch (result, Self.expected[setup]!) {
        case (.success(let principal), nil):
            #expect(principal.tenant.slug == "acme")
            #expect(principal.user.id == f.danaID)
            #expect(principal.clientID == "app-1")
            #expect(principal.grantID == f.grantID)
            #expect(principal.scopes == [.ticketsRead, .ticketsWrite])
        case (.failure(let rejection), let expected?):
            #expect(rejection == expected, "\(setup)")
            #expect(verifier.cachedPrincipalCount == 0)
        default:
            Issue.record("\(setup): got \(result), expected \(String(describing: Self.expected[setup]!))")
        }
    }

    @Test func onlyTheGrantsApprovedScopesCount() throws {
        let f = try AccessTokenFixture()
        try f.database.write { tx in
            try tx.connection.run("UPDATE oauth_grants SET scopes = 'tickets:read' WHERE id = ?1", f.grantID)
        }
        let token = try f.token(["scope": "tickets:read tickets:write offline_access"])
        let result = try f.database.withReader { try f.verifier().authenticate(token, tenantSlug: "acme", on: $0) }
        #expect(try result.get().scopes == [.ticketsRead])
    }

    @Test func signatureIsVerifiedOncePerTokenAndTheCacheStillHonoursRevocation() throws {
        let f = try AccessTokenFixture()
        let verifier = f.verifier()
        let token = try f.token()
        let reader = try f.database.openReader()
        func check(_ slug: String = "acme") throws -> Result<OAuthPrincipal, AccessTokenRejection> {
            try verifier.authenticate(token, tenantSlug: slug, on: reader)
        }
        #expect(try check().isSuccess)
        #expect(verifier.cachedPrincipalCount == 1)

        // Prove the cache answers: a change no trigger sees is invisible to a cached token, and
        // so is deleting the key row (a cache miss would now fail with unknownKey).
        try f.database.write { tx in
            try tx.connection.run("UPDATE oauth_grants SET scopes = 'tickets:read' WHERE id = ?1", f.grantID)
            try tx.connection.run("UPDATE signing_keys SET public_jwk_json = '{}' WHERE kid = ?1", f.key.keyID)
        }
        #expect(try check().get().scopes == [.ticketsRead, .ticketsWrite])
        // The cached principal still belongs to acme only.
        #expect(try check("globex") == .failure(.wrongTenant))

        try f.database.write { tx in
            try tx.connection.run("UPDATE signing_keys SET public_jwk_json = ?2 WHERE kid = ?1", f.key.keyID, f.key.publicKey.jwkJSON)
        }
        #expect(try check().isSuccess)

        try f.revokeGrant(f.grantID)
        #expect(try check() == .failure(.grantRevoked))
        #expect(verifier.cachedPrincipalCount == 0)
        #expect(verifier.signatureVerificationCount == 1)
    }

    @Test func aRevocationElsewhereReResolvesWithoutReVerifyingTheSignature() throws {
        let f = try AccessTokenFixture()
        let verifier = f.verifier()
        let token = try f.token()
        let reader = try f.database.openReader()
        #expect(try verifier.authenticate(token, tenantSlug: "acme", on: reader).isSuccess)
        #expect(verifier.signatureVerificationCount == 1)
        // Any revocation (here another user's PAT) moves the counter: the next call drops the
        // cached principals...
        let pat = try f.tokens.create("eli@acme.test")
        try f.tokens.service.revoke(tenant: "acme", id: pat.record.id, by: .operator)
        #expect(try verifier.authenticate(token, tenantSlug: "acme", on: reader).isSuccess)
        // ... and the token is resolved against the database again, but not re-verified.
        #expect(verifier.signatureVerificationCount == 1)
        // A different token is verified on its own.
        #expect(try verifier.authenticate(try f.token(), tenantSlug: "acme", on: reader).isSuccess)
        #expect(verifier.signatureVerificationCount == 2)
    }

    @Test func deactivationSuspensionAndKeyRetirementReachCachedTokens() throws {
        let f = try AccessTokenFixture()
        let verifier = f.verifier()
        let token = try f.token()
        let reader = try f.database.openReader()
        func check() throws -> Result<OAuthPrincipal, AccessTokenRejection> {
            try verifier.authenticate(token, tenantSlug: "acme", on: reader)
        }
        #expect(try check().isSuccess)
        try TokenAuthenticatorTests.setActive(false, email: "dana@acme.test", in: f.tokens)
        #expect(try check() == .failure(.userInactive))
        try TokenAuthenticatorTests.setActive(true, email: "dana@acme.test", in: f.tokens)
        #expect(try check().isSuccess)
        _ = try TenantService(database: f.database).setStatus(.suspended, slug: "acme")
        #expect(try check() == .failure(.tenantSuspended))
        _ = try TenantService(database: f.database).setStatus(.active, slug: "acme")
        #expect(try check().isSuccess)
        try f.database.write { tx in _ = try SigningKeyStore().setState(.retired, kid: f.key.keyID, in: tx) }
        #expect(try check() == .failure(.unknownKey))
    }

    @Test func departmentMembershipsAreCachedAndFollowChanges() throws {
        let f = try AccessTokenFixture()
        let verifier = f.verifier()
        let token = try f.token()
        let reader = try f.database.openReader()
        let before = try verifier.authenticate(token, tenantSlug: "acme", on: reader).get().departmentIDs
        let added = try f.database.write { tx in
            let scope = try TenantDirectory().bySlug("acme", on: tx.connection)!.scope
            let department = try scope.departments.create(name: "Escalations", in: tx)
            try scope.departments.addMember(departmentID: department.id, userID: f.danaID, isPrimary: false, in: tx)
            return department.id
        }
        let after = try verifier.authenticate(token, tenantSlug: "acme", on: reader).get().departmentIDs
        #expect(!before.contains(added))
        #expect(after == before + [added])
        #expect(verifier.signatureVerificationCount == 1)
    }

    @Test func aCachedTokenExpiresAfterTheLeeway() throws {
        let f = try AccessTokenFixture()
        let verifier = f.verifier()
        let token = try f.token(["exp": f.nowSeconds + 100])
        let reader = try f.database.openReader()
        #expect(try verifier.authenticate(token, tenantSlug: "acme", on: reader).isSuccess)
        f.advance(seconds: 159)
        #expect(try verifier.authenticate(token, tenantSlug: "acme", on: reader).isSuccess)
        f.advance(seconds: 1)
        #expect(try verifier.authenticate(token, tenantSlug: "acme", on: reader) == .failure(.expired))
        #expect(verifier.cachedPrincipalCount == 0)
    }

    @Test func aRotatedOutKeyStillVerifiesUntilRetired() throws {
        let f = try AccessTokenFixture()
        let token = try f.token()
        let next = try DeskgateCrypto.SigningKey.generate()
        try f.database.write { tx in
            _ = try SigningKeyStore().setState(.retiring, kid: f.key.keyID, in: tx)
            _ = try SigningKeyStore().publish(kid: next.keyID, alg: "ES256", publicJWKJSON: next.publicKey.jwkJSON, in: tx)
        }
        let reader = try f.database.openReader()
        #expect(try f.verifier().authenticate(token, tenantSlug: "acme", on: reader).isSuccess)
        let fresh = try f.forged(header: ["alg": "ES256", "typ": "at+jwt", "kid": next.keyID], signer: next)
        #expect(try f.verifier().authenticate(fresh, tenantSlug: "acme", on: reader).isSuccess)
    }

    @Test func grantUseIsCoalescedIntoLastUsed() throws {
        let f = try AccessTokenFixture()
        let verifier = f.verifier()
        for step in 0..<50 { verifier.noteUse(grantID: f.grantID, at: 5_000 + Int64(step)) }
        verifier.noteUse(grantID: f.grantID, at: 10)  // a late, older note does not win
        #expect(try verifier.flushUsage(database: f.database) == 1)
        #expect(try verifier.flushUsage(database: f.database) == 0)
        let lastUsed = try f.database.withReader { db in
            try db.queryOne("SELECT last_used_at FROM oauth_grants WHERE id = ?1", f.grantID) { $0.optionalInt64(0) }
        }
        #expect(lastUsed == 5_049)
    }

    @Test func onlyCompactJWSShapesAreRoutedHere() {
        #expect(JWTAccessTokenVerifier.looksLikeJWT("eyJh.eyJi.c2ln"))
        #expect(JWTAccessTokenVerifier.looksLikeJWT("a..b"))
        #expect(!JWTAccessTokenVerifier.looksLikeJWT(OpaqueToken.generate(prefix: "dgpat_")))
        #expect(!JWTAccessTokenVerifier.looksLikeJWT("a.b"))
        #expect(!JWTAccessTokenVerifier.looksLikeJWT("a.b.c.d.e"))
        // Exactly two dots, wherever they are.
        #expect(JWTAccessTokenVerifier.looksLikeJWT("..") && JWTAccessTokenVerifier.looksLikeJWT("a.b.") && JWTAccessTokenVerifier.looksLikeJWT(".a."))
        #expect(!JWTAccessTokenVerifier.looksLikeJWT("") && !JWTAccessTokenVerifier.looksLikeJWT(".") && !JWTAccessTokenVerifier.looksLikeJWT("..."))
        #expect(!JWTAccessTokenVerifier.looksLikeJWT("a.b.c."))
    }

    @Test func rejectionsExplainThemselves() {
        for rejection in AccessTokenRejection.allCases { #expect(!rejection.description.isEmpty) }
        #expect(Set(AccessTokenRejection.allCases.map(\.description)).count == AccessTokenRejection.allCases.count)
    }
}
