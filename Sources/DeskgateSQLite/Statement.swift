import DeskgateSQL
import CSQLite

/// A prepared statement. Not Sendable: bind, step and reset are not atomic as a group, so a
/// statement lives on its connection's thread (the prototype measured sharing as slower anyway).
final class Statement: SQLRow {
    let handle: OpaquePointer
    private let database: OpaquePointer
    /// Set while a caller is stepping a cached statement, so a nested use of the same SQL
    /// gets a fresh statement instead of clobbering the outer one's bindings.
    var inUse = false

    init(handle: OpaquePointer, database: OpaquePointer) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds parameters ?1, ?2, … in order.
    func bind(_ values: [any SQLBindable]) throws {
        for (offset, value) in values.enumerated() {
            try check(value.sqlValue.bind(to: handle, at: Int32(offset + 1)))
        }
    }

    /// Advances one row: true while a row is available, false when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error(rc)
        }
    }

    /// Returns the statement to its initial state and drops the bound values, so secrets
    /// do not linger in a cached statement.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: typed column reads (0-based), for SQLRow

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func unsafeText(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let text = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
    }

    func blob(_ column: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    func columnName(_ column: Int32) -> String { String(cString: sqlite3_column_name(handle, column)) }

    private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { throw error(rc) }
    }

    private func error(_ rc: Int32) -> StoreError {
        // sqlite3_extended_errcode reflects the most recent failure on this connection.
        StoreError.sqlite(extendedCode: sqlite3_extended_errcode(database), message: String(cString: sqlite3_errmsg(database)))
    }
}
