public import DeskgateSQL
import DeskgateModel
/// One read transaction for every request an event loop serves in one turn of its loop.
///
/// A per-request transaction costs a WAL read lock and unlock: a pair of `fcntl` calls, and
/// a turn on SQLite's per-process shared-memory mutex, which the loops of one process
/// contend for (perf, 64 connections on two loops: 1.2 `fcntl` and 0.3–1.3 `futex` calls per
/// request, ~9 % of the server's CPU). A loop reads ~15–23 requests per turn under that load,
/// so sharing one transaction across the turn removes nearly all of it.
///
/// It stays as fresh as a per-request transaction because of the order the event loop
/// keeps: every request served in a turn was read from its socket *before* the turn's
/// first statement (`EventLoop.run`: read everything ready, then serve). The snapshot begins
/// at that first statement, so it holds every commit that a client could have seen before
/// sending any of those requests: a revoked token is refused on the very next request,
/// and a client reads its own writes. Writes never run on this connection (they go through
/// the writer on a worker); nor do requests offloaded to workers (they take their own).
public final class TurnSnapshot {
    public private(set) var connection: any SQLConnection
    /// The revocation counter as the current transaction sees it; cleared when one begins.
    private var generation: Int64?
    /// Opens a replacement when the connection broke (PostgreSQL restarted, the network
    /// dropped): the turn that saw it fail answered 503, the next turn reconnects.
    private let reopen: (() throws -> any SQLConnection)?

    public init(_ connection: any SQLConnection, reopen: (() throws -> any SQLConnection)? = nil) {
        self.connection = connection
        self.reopen = reopen
    }

    /// The revocation counter (`RevocationCounter`) as of the turn's snapshot, read once per
    /// turn: it cannot move inside one read transaction, and every request of the turn asks
    /// for it (~2.6k instructions a read, callgrind).
    public func revocationGeneration() throws -> Int64 {
        if let generation, !connection.isAutocommit { return generation }
        let current = try read { try RevocationCounter().current(on: connection) }
        generation = current
        return current
    }

    /// Runs `body` inside the turn's read transaction, beginning it if this is the turn's
    /// first read. An error leaves the transaction to `endTurn()` (a read has nothing to
    /// undo; SQLite may already have ended it, which `isAutocommit` shows).
    public func read<T>(_ body: () throws -> T) throws -> T {
        if connection.isBroken, let reopen {
            generation = nil
            connection = try reopen()
        }
        // An earlier request of this turn had a statement fail (PostgreSQL then refuses every
        // other until ROLLBACK): this request starts a fresh snapshot rather than fail too.
        if connection.isTransactionFailed { try connection.execute(script: "ROLLBACK") }
        if connection.isAutocommit {
            generation = nil
            try connection.run("BEGIN")
        }
        return try body()
    }

    /// Ends the turn's transaction, if one began. Called by the loop once it has served
    /// what it read; the next turn's first read begins a fresh snapshot.
    public func endTurn() {
        guard !connection.isAutocommit else { return }
        do {
            try connection.run("COMMIT")
        } catch {
            try? connection.execute(script: "ROLLBACK")
        }
    }
}
