import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// The time budget of one connection's statements, checked by SQLite's progress handler every
/// `checkInterval` virtual-machine instructions: past the deadline the handler returns
/// non-zero and the statement ends with SQLITE_INTERRUPT (a read has nothing to undo; the
/// connection and its transaction stay usable).
///
/// The clock starts at the first check of the outermost statement, not at bind: a point read
/// finishes before any check and never reads the clock. Nested statements (a query run while
/// another's rows are read) count against the outer one's budget.
struct StatementBudget {
    /// VM instructions between two checks: a few microseconds of work, so a clock read (~20 ns)
    /// there costs well under 1 %, and a runaway is stopped within a few microseconds of its
    /// deadline (a single long instruction, such as a sort, finishes first).
    static let checkInterval: Int32 = 1_000

    var limitNanoseconds: UInt64 = 0
    /// Statements running (nested ones included); checks count only while one is.
    var depth = 0
    var startNanoseconds: UInt64 = 0
    /// Set when the handler stopped a statement, so its SQLITE_INTERRUPT reads as over budget.
    var tripped = false

    var milliseconds: Int { Int(limitNanoseconds / 1_000_000) }

    /// True when the running statement must stop.
    mutating func exceeded() -> Bool {
        guard depth > 0, limitNanoseconds > 0 else { return false }
        let now = Self.now()
        if startNanoseconds == 0 {
            startNanoseconds = now
            return false
        }
        guard now - startNanoseconds > limitNanoseconds else { return false }
        tripped = true
        return true
    }

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

/// SQLite's progress callback: the context is the connection's `StatementBudget`.
let statementBudgetCheck: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
    guard let budget = context?.assumingMemoryBound(to: StatementBudget.self) else { return 0 }
    return budget.pointee.exceeded() ? 1 : 0
}
