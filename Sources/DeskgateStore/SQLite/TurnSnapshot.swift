public import DeskgateSQL
import DeskgateModel
/// One read view for every request an event loop serves in one turn of its loop.
///
/// On SQLite that is one read transaction, a WAL snapshot. A per-request transaction costs a
/// WAL read lock and unlock: a pair of `fcntl` calls, and a turn on SQLite's per-process
/// shared-memory mutex, which the loops of one process contend for (perf, 64 connections on
/// two loops: 1.2 `fcntl` and 0.3–1.3 `futex` calls per request, ~9 % of the server's CPU). A
/// loop reads ~15–23 requests per turn under that load, so sharing one transaction across the
/// turn removes nearly all of it.
///
/// On PostgreSQL the turn reads in autocommit: its readers run at READ COMMITTED, where every
/// statement takes a snapshot of its own even inside `BEGIN`, so a turn transaction bought no
/// consistency and cost two round trips (`BEGIN`, `COMMIT`): four per sequential call where two
/// do (benchmarks.md, "Scale-out on PostgreSQL"). Each statement then sees every commit made
/// before it ran, which is at least as fresh as the turn's start.
///
/// It stays as fresh as a per-request transaction because of the order the event loop
/// keeps: every request served in a turn was read from its socket *before* the turn's
/// first statement (`EventLoop.run`: read everything ready, then serve). The snapshot (and the
/// revocation counter, on either engine) is taken at or after that first statement, so it holds
/// every commit that a client could have seen before sending any of those requests: a revoked
/// token is refused on the very next request, and a client reads its own writes. Writes never
/// run on this connection (they go through the writer on a worker); nor do requests offloaded
/// to workers (they take their own).
public final class TurnSnapshot {
    public private(set) var connection: any SQLConnection
    /// The revocation counter as this turn read it. On SQLite it is the transaction's (cleared
    /// when one begins); on PostgreSQL it is kept until `endTurn()`.
    private var generation: Int64?
    /// Opens a replacement when the connection broke (PostgreSQL restarted, the network
    /// dropped): the turn that saw it fail answered 503, the next turn reconnects.
    private let reopen: (() throws -> any SQLConnection)?

    public init(_ connection: any SQLConnection, reopen: (() throws -> any SQLConnection)? = nil) {
        self.connection = connection
        self.reopen = reopen
    }

    /// Whether the turn's reads share one transaction (SQLite's WAL snapshot), or each
    /// statement commits on its own (PostgreSQL at READ COMMITTED: see the type's comment).
    private var sharesATransaction: Bool { connection.dialect == .sqlite }

    /// The revocation counter (`RevocationCounter`) as of the turn's start, read once per
    /// turn: every request of the turn asks for it (~2.6k instructions a read, callgrind; a
    /// round trip on PostgreSQL). On SQLite it cannot move inside the turn's transaction; on
    /// PostgreSQL it is read after every request of the turn arrived, which is what makes a
    /// revocation committed before any of them was sent count for all of them.
    public func revocationGeneration() throws -> Int64 {
        if let generation, !sharesATransaction || !connection.isAutocommit { return generation }
        let current = try read { try RevocationCounter().current(on: connection) }
        generation = current
        return current
    }

    /// Runs `body` for the turn: on SQLite inside the turn's read transaction, beginning it if
    /// this is the turn's first read. An error leaves the transaction to `endTurn()` (a read
    /// has nothing to undo; SQLite may already have ended it, which `isAutocommit` shows).
    public func read<T>(_ body: () throws -> T) throws -> T {
        if connection.isBroken, let reopen {
            generation = nil
            connection = try reopen()
        }
        // A statement failed inside a transaction (PostgreSQL then refuses every other until
        // ROLLBACK): this request starts afresh rather than fail too. A PostgreSQL turn opens
        // no transaction, but a body may (`ReadHandle.snapshot`) and leave it spoiled.
        if connection.isTransactionFailed { try connection.execute(script: "ROLLBACK") }
        if sharesATransaction, connection.isAutocommit {
            generation = nil
            try connection.run("BEGIN")
        }
        return try body()
    }

    /// Ends the turn: commits its transaction, if one began (SQLite), and forgets its counter.
    /// Called by the loop once it has served what it read; the next turn's first read begins
    /// a fresh snapshot and reads the counter again.
    public func endTurn() {
        guard sharesATransaction else {
            generation = nil
            // Nothing of the turn's is open; a transaction a body began and left (none should)
            // would otherwise pin this connection's snapshot into later turns.
            if connection.isInTransaction { try? connection.execute(script: "ROLLBACK") }
            return
        }
        guard !connection.isAutocommit else { return }
        do {
            try connection.run("COMMIT")
        } catch {
            try? connection.execute(script: "ROLLBACK")
        }
    }
}
