@testable import DeskgateSQLite
import DeskgateSQL
import Testing
@testable import DeskgateStore
import DeskgateModel

@Suite("Turn snapshot")
struct TurnSnapshotTests {
    private func tenantCount(_ db: any SQLConnection) throws -> Int64 {
        try db.queryOne("SELECT count(*) FROM tenants") { $0.int64(0) } ?? -1
    }

    @Test func readsOfOneTurnShareASnapshotAndTheNextTurnSeesNewCommits() throws {
        try withDatabase { database in
            let turn = TurnSnapshot(try database.openReader())
            let before = try turn.read { try tenantCount(turn.connection) }
            _ = try seedTenant("acme", word: "blue", in: database)
            // Same turn: the commit above came after the turn's first read.
            #expect(try turn.read { try tenantCount(turn.connection) } == before)
            #expect(!turn.connection.isAutocommit)
            turn.endTurn()
            #expect(turn.connection.isAutocommit)
            #expect(try turn.read { try tenantCount(turn.connection) } == before + 1)
            turn.endTurn()
        }
    }

    @Test func aFailedReadLeavesTheTurnUsableAndEndingAnUnusedTurnIsHarmless() throws {
        try withDatabase { database in
            let turn = TurnSnapshot(try database.openReader())
            turn.endTurn()
            #expect(turn.connection.isAutocommit)
            #expect(throws: StoreError.self) {
                try turn.read { try turn.connection.queryOne("SELECT no_such_column FROM tenants") { $0.int64(0) } }
            }
            #expect(try turn.read { try tenantCount(turn.connection) } == 0)
            turn.endTurn()
            #expect(turn.connection.isAutocommit)
        }
    }
}

@Suite("Turn snapshot: revocation generation")
struct TurnSnapshotGenerationTests {
    @Test func theGenerationIsReadOncePerTurnAndAfreshInTheNext() throws {
        try withDatabase { database in
            let turn = TurnSnapshot(try database.openReader())
            let first = try turn.revocationGeneration()
            let bumped = try database.write { tx in try RevocationCounter().bump(in: tx) }
            #expect(bumped == first + 1)
            // Same turn: the snapshot (and so the memo) predates the bump.
            #expect(try turn.revocationGeneration() == first)
            turn.endTurn()
            #expect(try turn.revocationGeneration() == bumped)
            // A transaction that ended without endTurn (SQLite rolled it back, say) is not trusted.
            try turn.connection.execute(script: "ROLLBACK")
            _ = try database.write { tx in try RevocationCounter().bump(in: tx) }
            #expect(try turn.revocationGeneration() == bumped + 1)
            turn.endTurn()
        }
    }
}
