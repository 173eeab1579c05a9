/// One result row, read by column position (0-based), as the row decoders in the store see it.
///
/// Engines store differently (SQLite keeps integers and text natively; PostgreSQL's text
/// results are parsed), so each connection supplies its own; the decoders are written once.
public protocol SQLRow {
    func isNull(_ column: Int32) -> Bool
    func int64(_ column: Int32) -> Int64
    func double(_ column: Int32) -> Double
    func string(_ column: Int32) -> String
    func blob(_ column: Int32) -> [UInt8]
    /// The column's text as UTF-8 bytes, valid only inside `body` (no String is made); an
    /// empty buffer for NULL.
    func withText<R>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R
    /// The column's name in the result, for error messages.
    func columnName(_ column: Int32) -> String
}

extension SQLRow {
    public func int(_ column: Int32) -> Int { Int(int64(column)) }

    public func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    /// Integers 0 and 1 (both engines store flags as integers).
    public func bool(_ column: Int32) -> Bool { int64(column) != 0 }

    public func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }

    public func optionalBlob(_ column: Int32) -> [UInt8]? { isNull(column) ? nil : blob(column) }

    /// A text column holding a list joined by `separator` (e.g. `group_concat(x, char(31))`),
    /// split on the raw bytes: splitting the String by Character cost ~1k instructions per item.
    /// NULL or empty text is an empty list.
    public func strings(_ column: Int32, separatedBy separator: UInt8) -> [String] {
        withText(column) { bytes in
            var items: [String] = []
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == separator {
                if i > start { items.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)) }
                start = i + 1
            }
            return items
        }
    }

    /// Decodes a domain enum stored as its raw string; an unknown string is corruption, not a default.
    public func value<T: RawRepresentable>(_ type: T.Type, _ column: Int32) throws -> T where T.RawValue == String {
        let raw = string(column)
        guard let value = T(rawValue: raw) else {
            throw StoreError.corruptValue(column: columnName(column), value: raw)
        }
        return value
    }

    /// `value(_:_:)` for enums matched on the column's bytes (see `StoredSpelling`); the same
    /// value, and the same error for a spelling that is no case.
    public func value<T: StoredSpelling>(_ type: T.Type, _ column: Int32) throws -> T {
        if let value = withText(column, { T.spellings.value($0) }) { return value }
        return try rawValue(type, column)
    }

    private func rawValue<T: RawRepresentable>(_ type: T.Type, _ column: Int32) throws -> T where T.RawValue == String {
        try value(type, column)
    }
}
