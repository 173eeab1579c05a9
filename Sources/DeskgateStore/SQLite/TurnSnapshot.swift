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
/// On PostgreSQL the readers run at READ COMMITTED, where every statement takes a snapshot of
/// its own even inside `BEGIN`: a turn transaction buys no consistency there, only cost or
/// savings. A turn's first request reads in autocommit: a `BEGIN` and `COMMIT` for it alone were
/// two round trips of four per sequential call. From its second request on the turn reads in
/// one transaction, begun then: a statement inside a transaction block costs the server less
/// than one that is a transaction of its own (no transaction start and end, its relation locks
/// already held), which pays for the two once a turn serves several requests (~20 under load;
/// benchmarks.md, "Scale-out on PostgreSQL"). Each statement sees every commit made before it
/// ran, which is at least as fresh as the turn's start.
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
    /// PostgreSQL: how many requests (outermost `read` calls) this turn has served, and how
    /// deep in `read` calls the current one is.
    private var requests = 0
    private var depth = 0
    /// Opens a replacement when the connection broke (PostgreSQL restarted, the network
    /// dropped): the turn that saw it fail answered 503, the next turn reconnects.
    private let reopen: (() throws -> any SQLConnection)?

    public init(_ connection: any SQLConnection, reopen: (() throws -> any SQLConnection)? = nil) {
        self.connection = connection
        self.reopen = reopen
    }

    /// Whether every read of the turn is in its transaction (SQLite's WAL snapshot), or only
    /// those of its second request on (PostgreSQL at READ COMMITTED: see the type's comment).
    private var sharesATransaction: Bool { connection.dialect == .sqlite }

    /// The revocation counter (`RevocationCounter`) as of the turn's start, read once per
    /// turn: every request of the turn asks for it (~2.6k instructions a read, callgrind; a
    /// round trip on PostgreSQL). On SQLite it cannot move inside the turn's transaction; on
    /// PostgreSQL it is read after every request of the turn arrived, which is what makes a
    /// revocation committed before any of them was sent count for all of them.
    public func revocationGeneration() throws -> Int64 {
        if let generation, !sharesATransaction || !connection.isAutocommit { return generation }
        let current: Int64
        if sharesATransaction {
            current = try read { try RevocationCounter().current(on: connection) }
        } else {
            // Not a request of its own: it must not make the turn begin its transaction.
            try prepareConnection()
            current = try RevocationCounter().current(on: connection)
        }
        generation = current
        return current
    }

    /// Runs one request's `body` for the turn: on SQLite inside the turn's read transaction,
    /// beginning it if this is the turn's first read; on PostgreSQL in autocommit for the turn's
    /// first request and in the turn's transaction, begun at the second, for the others. An
    /// error leaves the transaction to `endTurn()` (a read has nothing to undo; SQLite may
    /// already have ended it, which `isAutocommit` shows).
    public func read<T>(_ body: () throws -> T) throws -> T {
        guard !sharesATransaction else {
            try prepareConnection()
            if connection.isAutocommit {
                generation = nil
                try connection.run("BEGIN")
            }
            return try body()
        }
        try prepareConnection()
        if depth == 0 {
            if requests > 0, connection.isAutocommit { try connection.run("BEGIN") }
            requests += 1
        }
        depth += 1
        defer { depth -= 1 }
        return try body()
    }

    private func prepareConnection() throws {
        if connection.isBroken, let reopen {
            generation = nil
            connection = try reopen()
        }
        // A statement failed inside the transaction (PostgreSQL then refuses every other until
        // ROLLBACK): this request starts afresh rather than fail too.
        if connection.isTransactionFailed { try connection.execute(script: "ROLLBACK") }
    }

    /// Ends the turn: commits its transaction, if one began, and forgets its counter. Called by
    /// the loop once it has served what it read; the next turn's first read begins afresh and
    /// reads the counter again.
    public func endTurn() {
        if !sharesATransaction {
            generation = nil
            requests = 0
        }
        guard !connection.isAutocommit else { return }
        do {
            try connection.run("COMMIT")
        } catch {
            try? connection.execute(script: "ROLLBACK")
        }
    }
}
