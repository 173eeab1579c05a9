import DeskgateSQL
import Foundation
import Testing
@testable import DeskgateStore

/// A loop turn on PostgreSQL serves its first request in autocommit: no `BEGIN`/`COMMIT` (two
/// round trips of four for a lone request, buying nothing at READ COMMITTED); from its second
/// request on it reads in one transaction (cheaper statements when a turn serves many). The
/// revocation counter is still read once per turn and afresh in the next, and the recoveries (a
/// failed statement, the statement budget, a lost backend) still leave the next read working. Runs when
/// `DESKGATE_TEST_DATABASE_URL` names a database (`scripts/with-postgres`).
@Suite("Turn snapshot on PostgreSQL", .enabled(if: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] != nil))
struct TurnSnapshotPostgresTests {
    private var url: String { ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] ?? "" }

    private func withPostgres<T>(budgetMilliseconds: Int? = nil, _ body: (Database) throws -> T) throws -> T {
        var configuration = DatabaseConfiguration()
        if let budgetMilliseconds { configuration.readBudgetMilliseconds = budgetMilliseconds }
        let db = try Database.open(path: url, configuration: configuration)
        defer { db.close() }
        return try body(db)
    }

    private static func isUnavailable(_ error: any Error) -> Bool {
        if case .unavailable = error as? StoreError { return true }
        return false
    }

    @Test func aTurnWithOneRequestSendsNoTransactionControl() throws {
        try withPostgres { db in
            let turn = TurnSnapshot(try db.openReader())
            let now = { try turn.connection.queryOne("SELECT CAST(now() AS text)") { $0.string(0) } }
            let (idle, first, second) = try turn.read { () throws -> (Bool, String?, String?) in
                _ = try turn.revocationGeneration()
                let first = try now()
                try turn.connection.execute(script: "SELECT pg_sleep(0.01)")
                // A read nested in the request is not a second request.
                return try turn.read { (turn.connection.isAutocommit, first, try now()) }
            }
            #expect(idle, "libpq reports a transaction open during the turn: the turn sent BEGIN")
            // now() is the transaction's start: inside one BEGIN both statements would agree.
            #expect(first != nil && first != second)
            turn.endTurn()
            #expect(turn.connection.isAutocommit)
        }
    }

    @Test func theSecondRequestOfATurnBeginsItsTransactionAndEndTurnEndsIt() throws {
        try withPostgres { db in
            let turn = TurnSnapshot(try db.openReader())
            let first = try turn.revocationGeneration()
            #expect(try turn.read { turn.connection.isAutocommit })
            #expect(try turn.read { !turn.connection.isAutocommit })
            #expect(try turn.read { try turn.revocationGeneration() } == first)
            turn.endTurn()
            #expect(turn.connection.isAutocommit)
            // The next turn starts over: its first request in autocommit again.
            #expect(try turn.read { turn.connection.isAutocommit })
            turn.endTurn()
        }
    }

    @Test func aLaterStatementOfTheSameTurnSeesANewCommit() throws {
        try withPostgres { db in
            let slug = "pgturn-" + UUID().uuidString.prefix(8).lowercased()
            let turn = TurnSnapshot(try db.openReader())
            let count = { try turn.read { try turn.connection.queryOne("SELECT count(*) FROM tenants WHERE slug = ?1", slug) { $0.int64(0) } } }
            #expect(try count() == 0)
            _ = try seedTenant(slug, word: "turn", in: db)
            // READ COMMITTED: every statement reads as of its own start, even within one turn
            // and inside its transaction (this is its second request).
            #expect(try count() == 1)
            #expect(!turn.connection.isAutocommit)
            turn.endTurn()
        }
    }

    @Test func theCounterIsReadOncePerTurnAndAfreshInTheNext() throws {
        try withPostgres { db in
            let turn = TurnSnapshot(try db.openReader())
            let first = try turn.revocationGeneration()
            let bumped = try db.write { tx in try RevocationCounter().bump(in: tx) }
            #expect(bumped > first)
            // Same turn: the requests it serves all arrived before `first` was read.
            #expect(try turn.revocationGeneration() == first)
            turn.endTurn()
            // Next turn: the revocation counts for the very next request.
            #expect(try turn.revocationGeneration() >= bumped)
            turn.endTurn()
        }
    }

    @Test func aFailedStatementLeavesTheTurnUsable() throws {
        try withPostgres { db in
            let turn = TurnSnapshot(try db.openReader())
            #expect(throws: StoreError.self) {
                try turn.read { try turn.connection.queryOne("SELECT no_such_column FROM tenants") { $0.int64(0) } }
            }
            // Nothing to roll back: the failure ended with its statement.
            #expect(turn.connection.isAutocommit)
            #expect(!turn.connection.isTransactionFailed)
            #expect(try turn.read { try turn.revocationGeneration() } >= 0)
            // In the turn's transaction (third request), a failure spoils it: the next request
            // rolls back and begins again rather than fail too.
            #expect(throws: StoreError.self) {
                try turn.read { try turn.connection.queryOne("SELECT no_such_column FROM tenants") { $0.int64(0) } }
            }
            #expect(turn.connection.isTransactionFailed)
            #expect(try turn.read { try turn.connection.queryOne("SELECT 1") { $0.int(0) } } == 1)
            #expect(!turn.connection.isAutocommit && !turn.connection.isTransactionFailed)
            turn.endTurn()
            #expect(turn.connection.isAutocommit)
        }
    }

    @Test func aReadOverItsBudgetFailsAloneAndTheTurnGoesOn() throws {
        try withPostgres(budgetMilliseconds: 150) { db in
            let turn = TurnSnapshot(try db.openReader())
            #expect {
                try turn.read { try RunawayRead.run(on: turn.connection) }
            } throws: { error in
                guard case .overBudget(milliseconds: 150) = error as? StoreError else { return false }
                return true
            }
            #expect(try turn.read { try turn.revocationGeneration() } >= 0)
            turn.endTurn()
        }
    }

    @Test func aTurnWhoseBackendWasTerminatedFailsThenTheNextReconnects() throws {
        try withPostgres { db in
            let turn = TurnSnapshot(try db.openReader(), reopen: { try db.openReader() })
            let backend = { try turn.read { try turn.connection.queryOne("SELECT pg_backend_pid()") { $0.int64(0) } } }
            let pid = try #require(try backend())
            turn.endTurn()
            let killed = try db.withReader {
                try $0.queryOne("SELECT pg_terminate_backend(CAST(?1 AS integer), 10000)", pid) { $0.bool(0) }
            }
            #expect(killed == true)
            // The request in flight: unavailable (the servers answer 503) ...
            #expect(performing: { try turn.revocationGeneration() }, throws: Self.isUnavailable)
            turn.endTurn()
            // ... and the next turn reads on a new connection.
            let replacement = try #require(try backend())
            #expect(replacement != pid)
            #expect(try turn.revocationGeneration() >= 0)
            turn.endTurn()
        }
    }
}
