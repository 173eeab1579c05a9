import DeskgateCrypto
import Foundation
import Testing
@testable import DeskgateIdentity
import DeskgateDesk
import DeskgateStore
import DeskgateModel

/// What several processes of one deployment share through the database: two service
/// instances over one database stand for two processes (nothing they share is in memory).
struct SharedStateTests {
    private func withStorage<T>(_ body: (Storage, Tenant) throws -> T) throws -> T {
        let directory = NSTemporaryDirectory() + "deskgate-shared-\(UUID().uuidString)"
        let database = try Database.open(path: directory + "/db.sqlite")
        defer {
            database.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let tenant = try TenantService(database: database).create(slug: "acme", name: "Acme")
        return try body(Storage(database), tenant)
    }

    @Test func aSessionCarriesWhetherItsClientElicitsURLs() throws {
        try withStorage { storage, tenant in
            let first = try MCPSessions(storage: storage), second = try MCPSessions(storage: storage)
            let asks = first.open(tenantID: tenant.id, userID: 10, protocolVersion: "2025-11-25", elicitsURL: true)
            let plain = first.open(tenantID: tenant.id, userID: 10, protocolVersion: "2025-11-25")
            try storage.withReader { reader throws in
                #expect(try second.resume(asks, tenantID: tenant.id, userID: 10, reader: reader)?.elicitsURL == true)
                #expect(try second.resume(plain, tenantID: tenant.id, userID: 10, reader: reader)?.elicitsURL == false)
                // The flag is under the tag: flipping it makes the id unknown, not a session that elicits.
                var bytes = Base64URL.decode(plain)!
                bytes[9 + "2025-11-25".utf8.count] ^= 1
                #expect(try second.resume(Base64URL.encode(bytes), tenantID: tenant.id, userID: 10, reader: reader) == nil)
            }
        }
    }

    @Test func aSessionOpenedByOneProcessIsResumedAndEndedAtAnother() throws {
        try withStorage { storage, tenant in
            let first = try MCPSessions(storage: storage), second = try MCPSessions(storage: storage)
            let id = first.open(tenantID: tenant.id, userID: 10, protocolVersion: "2025-11-25")
            #expect(id.utf8.count >= 43)
            try storage.withReader { reader throws in
                #expect(try second.resume(id, tenantID: tenant.id, userID: 10, reader: reader)?.protocolVersion == "2025-11-25")
                // Another user, another tenant, a changed byte: the same "not found".
                #expect(try second.resume(id, tenantID: tenant.id, userID: 11, reader: reader) == nil)
                #expect(try second.resume(id, tenantID: tenant.id + 1, userID: 10, reader: reader) == nil)
                var bytes = Base64URL.decode(id)!
                bytes[20] ^= 1
                #expect(try second.resume(Base64URL.encode(bytes), tenantID: tenant.id, userID: 10, reader: reader) == nil)
                #expect(try second.resume("not-an-id", tenantID: tenant.id, userID: 10, reader: reader) == nil)
            }
            #expect(try !first.end(id, tenantID: tenant.id, userID: 11))
            #expect(try first.end(id, tenantID: tenant.id, userID: 10))
            #expect(try !second.end(id, tenantID: tenant.id, userID: 10), "already ended")
            // The process that had confirmed it learns of the end on its next request.
            try storage.withReader { reader throws in
                #expect(try second.resume(id, tenantID: tenant.id, userID: 10, reader: reader) == nil)
            }
            #expect(first.open(tenantID: tenant.id, userID: 10, protocolVersion: "2025-11-25") != id)
        }
    }

    @Test func sessionsExpireAfterTheirLifetime() throws {
        let start = Int64(1_700_000_000_000)
        let opener = MCPSessions(key: Array(repeating: 7, count: 32), database: nil, clock: { start })
        let later = MCPSessions(key: Array(repeating: 7, count: 32), database: nil,
                                clock: { start + MCPSessions.lifetimeMilliseconds })
        let otherKey = MCPSessions(key: Array(repeating: 8, count: 32), database: nil, clock: { start })
        let id = opener.open(tenantID: 1, userID: 2, protocolVersion: "2025-06-18")
        #expect(opener.check(id, tenantID: 1, userID: 2)?.issuedAt == start)
        #expect(later.check(id, tenantID: 1, userID: 2) == nil)
        #expect(otherKey.check(id, tenantID: 1, userID: 2) == nil)
    }

    @Test func pendingConsentIsFoundAtAnyProcessAndCompletedOnce() throws {
        try withStorage { storage, tenant in
            let now = WallClockForTests.now
            let pending = PendingAuthorization(
                slug: tenant.slug, sessionID: 42,
                request: ApprovedRequest(clientID: "https://app.example/client.json", redirectURI: "http://127.0.0.1:9/cb",
                                         codeChallenge: "abc", resource: "https://mcp.example/t/acme/mcp",
                                         scopes: [.ticketsRead, .ticketsWrite]),
                state: "s t&ate", appName: "Ex \"App\"", isMetadataDocument: true, createdAt: now)
            let first = DatabasePendingAuthorizations(storage: storage, clock: { now })
            let second = DatabasePendingAuthorizations(storage: storage, clock: { now + 1_000 })
            let id = try first.add(pending)
            #expect(try second.find(id, slug: tenant.slug, sessionID: 42) == pending)
            #expect(try second.find(id, slug: tenant.slug, sessionID: 43) == nil)
            #expect(try second.find(id, slug: "other", sessionID: 42) == nil)
            #expect(try second.complete(id, slug: tenant.slug, sessionID: 43) == nil, "another session cannot take it")
            #expect(try second.complete(id, slug: tenant.slug, sessionID: 42) == pending)
            #expect(try first.complete(id, slug: tenant.slug, sessionID: 42) == nil, "at most once")
            let expired = DatabasePendingAuthorizations(storage: storage, clock: { now + PendingAuthorization.lifetimeMilliseconds + 1 })
            let stale = try first.add(pending)
            #expect(try expired.find(stale, slug: tenant.slug, sessionID: 42) == nil)
        }
    }

    @Test func windowCountersAreSharedAndStartOver() throws {
        try withStorage { storage, _ in
            let start = Int64(1_000_000)
            func counter(at now: Int64) -> SharedWindowCounter {
                SharedWindowCounter("test", storage: storage, windowSeconds: 60, clock: { now })
            }
            let a = counter(at: start), b = counter(at: start + 1)
            #expect(try a.admit("k", limit: 2))
            #expect(try b.admit("k", limit: 2))
            #expect(try !a.admit("k", limit: 2))
            #expect(try b.count("k") >= 2)
            #expect(try b.count("other") == 0)
            let otherLimit = SharedWindowCounter("other limit", storage: storage, windowSeconds: 60, clock: { start })
            #expect(try otherLimit.count("k") == 0, "another limit over the same key counts apart")
            let c = counter(at: start + 60_000)
            #expect(try c.count("k") == 0)
            #expect(try c.admit("k", limit: 2))
            try c.reset("k")
            #expect(try c.count("k") == 0)
        }
    }
}

enum WallClockForTests {
    static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
