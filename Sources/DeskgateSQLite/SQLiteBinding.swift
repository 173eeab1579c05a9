import DeskgateSQL
import CSQLite

/// Every text and blob bind copies (SQLITE_TRANSIENT): Swift string and array buffers are
/// temporaries, and SQLITE_STATIC corrupted every row in the prototype.
private let transient = shim_sqlite_transient()

extension SQLValue {
    /// Binds this value to parameter `index` (1-based) of `statement`; returns SQLite's code.
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch self {
        case .null:
            return sqlite3_bind_null(statement, index)
        case .integer(let value):
            return sqlite3_bind_int64(statement, index, value)
        case .real(let value):
            return sqlite3_bind_double(statement, index, value)
        case .text(var text):
            return text.withUTF8 { utf8 in
                // An empty buffer may have a nil base address, which SQLite would store as NULL.
                guard let base = utf8.baseAddress, utf8.count > 0 else {
                    return sqlite3_bind_text(statement, index, "", 0, transient)
                }
                return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                    sqlite3_bind_text(statement, index, $0, Int32(utf8.count), transient)
                }
            }
        case .blob(let bytes):
            return bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress, raw.count > 0 else {
                    return sqlite3_bind_zeroblob(statement, index, 0)
                }
                return sqlite3_bind_blob(statement, index, base, Int32(raw.count), transient)
            }
        }
    }
}

extension StoreError {
    /// Classifies an SQLite extended result code (the low byte is the primary code).
    static func sqlite(extendedCode code: Int32, message: String) -> StoreError {
        switch code & 0xFF {
        case 19: .constraintViolation(code: code, message: message)   // SQLITE_CONSTRAINT
        case 5, 6: .busy(code: code, message: message)                  // SQLITE_BUSY, SQLITE_LOCKED
        default: .engine(code: code, message: message)
        }
    }
}
