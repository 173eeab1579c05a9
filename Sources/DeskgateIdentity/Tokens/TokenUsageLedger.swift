import DeskgateStore
import DeskgateModel
import Synchronization

/// Last-use times noted per request and written in batches: `last_used_at` is kept without
/// a write per request. Many uses of one token between flushes collapse into the latest.
final class TokenUsageLedger: Sendable {
    private let pending = Mutex<[Int64: Int64]>([:])

    func note(tokenID: Int64, at time: Int64) {
        pending.withLock { $0[tokenID] = max($0[tokenID] ?? .min, time) }
    }

    /// Empties the ledger, handing back what it held.
    func take() -> [Int64: Int64] {
        pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }

    /// Puts back uses whose write failed, keeping any newer ones noted meanwhile.
    func restore(_ uses: [Int64: Int64]) {
        pending.withLock { pending in
            pending.merge(uses) { max($0, $1) }
        }
    }

    var count: Int { pending.withLock { $0.count } }

    /// Writes every noted use in one transaction with `record` (ids in ascending order) and
    /// returns its count; on failure the uses are put back for the next flush.
    func flush(into database: Database,
               record: @escaping @Sendable ([(id: Int64, at: Int64)], WriteTransaction) throws -> Int) throws -> Int {
        let noted = take()
        guard !noted.isEmpty else { return 0 }
        let uses = noted.sorted { $0.key < $1.key }.map { (id: $0.key, at: $0.value) }
        do {
            return try database.write { tx in try record(uses, tx) }
        } catch {
            restore(noted)
            throw error
        }
    }
}
