import DeskgateStore
public import DeskgateIdentity
public import DeskgateModel
import DeskgateSystem
import Synchronization
public import DeskgateJSON

/// One process's audit rows on their way to `mcp_audit` (issue 19, docs/audit.md).
///
/// Recording a call appends to memory under a lock: nothing is written per read. The server
/// flushes the buffer once a second in one transaction (as `UsageMeter` syncs), and at exit;
/// a write tool's row is written on its own before the answer leaves (`write`, from the worker
/// that made the write), so an acknowledged write is never missing from the log. A failed flush puts the rows
/// back for the next one; only past `capacity` (a database down for a long while) are new rows
/// dropped, and counted in the server log.
public final class AuditTrail: Sendable {
    private let buffer = Mutex(Buffer())
    /// Rows kept in memory at most while the database cannot take them.
    public let capacity: Int

    struct Buffer {
        var rows: [Entry] = []
        var dropped = 0
    }

    /// A row as recorded: the digest and the tickets are worked out at the flush, off the
    /// request's path, from the arguments (and the few members of the result that name a ticket).
    struct Entry: Sendable {
        var record: AuditRecord
        let arguments: JSONObject?
        let result: JSONObject?

        var finished: AuditRecord {
            guard let arguments else { return record }
            var row = record
            row.argsDigest = AuditArguments.digest(arguments)
            row.tickets = AuditArguments.tickets(arguments: arguments, result: result)
            return row
        }
    }

    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Appends a row. With `arguments`, the row's `argsDigest` and `tickets` are computed from
    /// them (and from `result`, the call's structured result or just its ticket members) at the flush.
    public func record(_ row: AuditRecord, arguments: JSONObject? = nil, result: JSONObject? = nil) {
        let entry = Entry(record: row, arguments: arguments, result: result)
        buffer.withLock { buffer in
            guard buffer.rows.count < capacity else { buffer.dropped += 1; return }
            buffer.rows.append(entry)
        }
    }

    /// Writes one row now, in a transaction of its own (a write tool's, before its answer
    /// leaves); the rows batched for the next flush stay where they are, so a write never waits
    /// for a second's worth of reads. On failure the row joins the batch, and the error is thrown.
    public func write(_ row: AuditRecord, arguments: JSONObject? = nil, result: JSONObject? = nil, storage: Storage) throws {
        let entry = Entry(record: row, arguments: arguments, result: result)
        do {
            let finished = entry.finished
            try storage.database.write { tx in try AuditRepository().insert([finished], in: tx) }
        } catch {
            buffer.withLock { buffer in
                guard buffer.rows.count < capacity else { buffer.dropped += 1; return }
                buffer.rows.append(entry)
            }
            throw error
        }
    }

    /// Rows waiting for the next flush.
    public var pending: Int { buffer.withLock { $0.rows.count } }

    /// Writes every waiting row in one transaction; returns how many. On failure the rows go back
    /// in front of any recorded meanwhile, and the error is thrown.
    @discardableResult
    public func flush(storage: Storage) throws -> Int {
        let (rows, dropped) = buffer.withLock { buffer -> ([Entry], Int) in
            defer { buffer.rows = []; buffer.dropped = 0 }
            return (buffer.rows, buffer.dropped)
        }
        if dropped > 0 { Log.error("audit_rows_dropped", ["count": .int(dropped)]) }
        guard !rows.isEmpty else { return 0 }
        do {
            let finished = rows.map(\.finished)
            try storage.database.write { tx in try AuditRepository().insert(finished, in: tx) }
        } catch {
            buffer.withLock { buffer in
                buffer.rows = rows + buffer.rows
                let over = buffer.rows.count - capacity
                if over > 0 { buffer.rows.removeLast(over); buffer.dropped += over }
            }
            throw error
        }
        return rows.count
    }
}

/// The name a process writes in the audit log's `process` column: program, host and pid.
public enum AuditProcess {
    public static func name(program: String) -> String {
        "\(program)@\(ProcessIdentity.hostName):\(ProcessIdentity.id)"
    }
}
