import DeskgateSQL
import Testing
@testable import DeskgateStore
import DeskgateModel

/// The store half of personal access tokens: tenant-scoped CRUD, the global lookup by hash,
/// the revocation trigger and coalesced last-use writes.
@Suite struct PersonalAccessTokenRepositoryTests {
    struct Owner: Sendable {
        let scope: TenantScope
        let user: User
    }

    static let day: Int64 = 86_400_000
    static let now: Int64 = 1_800_000_000_000

    func owner(_ slug: String, in db: Database) throws -> Owner {
        try db.write { tx in
            let scope = try TenantDirectory().create(slug: slug, name: slug, in: tx).scope
            return Owner(scope: scope, user: try scope.users.create(NewUser(email: "dana@example.com", name: "Dana", role: .agent), in: tx))
        }
    }

    /// A distinct 32-byte "hash" per token; the store does not care how it was made.
    func draft(_ owner: Owner, _ n: UInt8, expiresAt: Int64 = now + 30 * day) -> NewPersonalAccessToken {
        NewPersonalAccessToken(userID: owner.user.id, name: "token \(n)", tokenHash: [UInt8](repeating: n, count: 32),
                               masked: "dgpat_…000\(n)", scopes: ["tickets:read", "directory:read"],
                               expiresAt: expiresAt, createdAt: Self.now)
    }

    @Test func createsListsAndKeepsTenantsApart() throws {
        try withDatabase { db in
            let a = try owner("a", in: db)
            let b = try owner("b", in: db)
            let first = try db.write { [self] tx in try a.scope.personalAccessTokens.create(draft(a, 1), in: tx) }
            let other = try db.write { [self] tx in try b.scope.personalAccessTokens.create(draft(b, 2), in: tx) }
            #expect(first.scopes == ["tickets:read", "directory:read"])
            #expect(first.masked == "dgpat_…0001")
            #expect(first.status(at: Self.now) == .active)
            try db.withReader { conn throws in
                #expect(try a.scope.personalAccessTokens.byID(first.id, on: conn) == first)
                #expect(try a.scope.personalAccessTokens.byID(other.id, on: conn) == nil)
                #expect(try a.scope.personalAccessTokens.list(on: conn).map(\.id) == [first.id])
                #expect(try a.scope.personalAccessTokens.list(forUser: b.user.id, on: conn).isEmpty)
            }
            // A's scope cannot revoke B's token, and cannot create one for B's user.
            #expect(try db.write { tx in try a.scope.personalAccessTokens.revoke(id: other.id, by: nil, in: tx) } == false)
            #expect(throws: StoreError.self) {
                try db.write { [self] tx in try a.scope.personalAccessTokens.create(draft(b, 3), in: tx) }
            }
        }
    }

    @Test func activeCountSkipsRevokedAndExpired() throws {
        try withDatabase { db in
            let a = try owner("a", in: db)
            let ids = try db.write { [self] tx in
                try (1...4).map { try a.scope.personalAccessTokens.create(draft(a, $0), in: tx).id }
            }
            _ = try db.write { [self] tx in
                try a.scope.personalAccessTokens.create(draft(a, 9, expiresAt: Self.now - 1), in: tx)
            }
            try db.write { tx in try a.scope.personalAccessTokens.revoke(id: ids[0], by: a.user.id, at: Self.now, in: tx) }
            let count = try db.withReader { try a.scope.personalAccessTokens.activeCount(forUser: a.user.id, now: Self.now, on: $0) }
            #expect(count == 3)
            let revoked = try #require(try db.withReader { try a.scope.personalAccessTokens.byID(ids[0], on: $0) })
            #expect(revoked.revokedBy == a.user.id)
            #expect(revoked.status(at: Self.now) == .revoked)
        }
    }

    @Test func revokingBumpsTheRevocationCounterInTheSameTransaction() throws {
        try withDatabase { db in
            let a = try owner("a", in: db)
            let token = try db.write { [self] tx in try a.scope.personalAccessTokens.create(draft(a, 1), in: tx) }
            let (before, inside, again) = try db.write { tx in
                let before = try RevocationCounter().current(on: tx.connection)
                let revoked = try a.scope.personalAccessTokens.revoke(id: token.id, by: nil, in: tx)
                let inside = try RevocationCounter().current(on: tx.connection)
                #expect(revoked)
                // Revoking twice changes nothing, and bumps nothing.
                let twice = try a.scope.personalAccessTokens.revoke(id: token.id, by: nil, in: tx)
                #expect(!twice)
                return (before, inside, try RevocationCounter().current(on: tx.connection))
            }
            #expect(inside == before + 1)
            #expect(again == inside)
            #expect(try db.withReader { try RevocationCounter().current(on: $0) } == inside)
        }
    }

    @Test func aRolledBackRevocationLeavesTokenAndCounterAlone() throws {
        struct Abort: Error {}
        try withDatabase { db in
            let a = try owner("a", in: db)
            let token = try db.write { [self] tx in try a.scope.personalAccessTokens.create(draft(a, 1), in: tx) }
            let before = try db.withReader { try RevocationCounter().current(on: $0) }
            #expect(throws: Abort.self) {
                try db.write { tx in
                    try a.scope.personalAccessTokens.revoke(id: token.id, by: nil, in: tx)
                    throw Abort()
                }
            }
            try db.withReader { conn throws in
                #expect(try RevocationCounter().current(on: conn) == before)
                #expect(try a.scope.personalAccessTokens.byID(token.id, on: conn)?.revokedAt == nil)
            }
        }
    }

    @Test func lookupByHashIsGlobalAndExact() throws {
        try withDatabase { db in
            let a = try owner("a", in: db)
            let b = try owner("b", in: db)
            _ = try db.write { [self] tx in try a.scope.personalAccessTokens.create(draft(a, 1), in: tx) }
            let other = try db.write { [self] tx in try b.scope.personalAccessTokens.create(draft(b, 2), in: tx) }
            try db.withReader { conn throws in
                let found = try PersonalAccessTokenLookup().byHash([UInt8](repeating: 2, count: 32), on: conn)
                #expect(found == other)
                #expect(found?.tenantID == b.scope.tenantID)
                #expect(try PersonalAccessTokenLookup().byHash([UInt8](repeating: 2, count: 31), on: conn) == nil)
                #expect(try PersonalAccessTokenLookup().byHash([UInt8](repeating: 7, count: 32), on: conn) == nil)
            }
        }
    }

    @Test func recordUseOnlyMovesForward() throws {
        try withDatabase { db in
            let a = try owner("a", in: db)
            let (one, two) = try db.write { [self] tx in
                (try a.scope.personalAccessTokens.create(draft(a, 1), in: tx).id,
                 try a.scope.personalAccessTokens.create(draft(a, 2), in: tx).id)
            }
            #expect(try db.write { tx in try PersonalAccessTokenLookup().recordUse([(one, 500), (two, 700)], in: tx) } == 2)
            #expect(try db.write { tx in try PersonalAccessTokenLookup().recordUse([(one, 400), (two, 900)], in: tx) } == 1)
            try db.withReader { conn throws in
                #expect(try a.scope.personalAccessTokens.byID(one, on: conn)?.lastUsedAt == 500)
                #expect(try a.scope.personalAccessTokens.byID(two, on: conn)?.lastUsedAt == 900)
            }
        }
    }
}
