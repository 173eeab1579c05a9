import DeskgateModel
import CSQLite

/// A prepared statement. Not Sendable: bind, step and reset are not atomic as a group, so a
/// statement lives on its connection's thread (the prototype measured sharing as slower anyway).
final class Statement {
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
            try check(value.bind(to: handle, at: Int32(offset + 1)))
        }
    }

    func bind(_ value: some SQLBindable, at index: Int32) throws {
        try check(value.bind(to: handle, at: index))
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

    // MARK: typed column reads (0-based)

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }

    /// A text column holding a list joined by `separator` (e.g. `group_concat(x, char(31))`),
    /// split on the raw bytes: splitting the String by Character cost ~1k instructions per item.
    /// NULL or empty text is an empty list.
    func strings(_ column: Int32, separatedBy separator: UInt8) -> [String] {
        guard let text = sqlite3_column_text(handle, column) else { return [] }
        let bytes = UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
        var items: [String] = []
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == separator {
            if i > start { items.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)) }
            start = i + 1
        }
        return items
    }

    func blob(_ column: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    func optionalBlob(_ column: Int32) -> [UInt8]? { isNull(column) ? nil : blob(column) }

    /// Decodes a domain enum stored as its raw string; an unknown string is corruption, not a default.
    func value<T: RawRepresentable>(_ type: T.Type, _ column: Int32) throws -> T where T.RawValue == String {
        let raw = string(column)
        guard let value = T(rawValue: raw) else {
            throw StoreError.corruptValue(column: String(cString: sqlite3_column_name(handle, column)), value: raw)
        }
        return value
    }

    /// `value(_:_:)` for enums matched on the column's bytes (see `StoredSpelling`); the same
    /// value, and the same error for a spelling that is no case.
    func value<T: StoredSpelling>(_ type: T.Type, _ column: Int32) throws -> T {
        if let text = sqlite3_column_text(handle, column),
           let value = T.spellings.value(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))) {
            return value
        }
        return try rawValue(type, column)
    }

    private func rawValue<T: RawRepresentable>(_ type: T.Type, _ column: Int32) throws -> T where T.RawValue == String {
        try value(type, column)
    }

    private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { throw error(rc) }
    }

    private func error(_ rc: Int32) -> StoreError {
        // sqlite3_extended_errcode reflects the most recent failure on this connection.
        StoreError.from(code: sqlite3_extended_errcode(database), message: String(cString: sqlite3_errmsg(database)))
    }
}
