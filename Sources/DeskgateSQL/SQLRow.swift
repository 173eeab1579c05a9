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
    /// The column's text as UTF-8 bytes, with no String made; an empty buffer for NULL. The
    /// bytes belong to the result: valid only until the next row is read, so never keep them.
    /// (Not a closure-taking generic: called through `any SQLRow` from another module, that
    /// cost ~7k instructions a request in unspecialized generic calls, callgrind.)
    func unsafeText(_ column: Int32) -> UnsafeBufferPointer<UInt8>
    /// The column's name in the result, for error messages.
    func columnName(_ column: Int32) -> String

    // Derived reads, with the defaults below. They are requirements, not only extension
    // methods, so each engine's witness table holds a copy specialized for its row type (the
    // defaults are inlinable): an extension method called on `any SQLRow` runs unspecialized,
    // which cost the hot ticket row ~1.5k instructions a request for two of them (callgrind).
    func int(_ column: Int32) -> Int
    func bool(_ column: Int32) -> Bool
    func optionalInt64(_ column: Int32) -> Int64?
    func optionalString(_ column: Int32) -> String?
    func optionalBlob(_ column: Int32) -> [UInt8]?
    /// A text column holding a list joined by `separator` (e.g. `group_concat(x, char(31))`),
    /// split on the raw bytes: splitting the String by Character cost ~1k instructions per item.
    /// NULL or empty text is an empty list.
    func strings(_ column: Int32, separatedBy separator: UInt8) -> [String]
}

extension SQLRow {
    @inlinable
    public func int(_ column: Int32) -> Int { Int(int64(column)) }

    @inlinable
    public func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    /// Integers 0 and 1 (both engines store flags as integers).
    @inlinable
    public func bool(_ column: Int32) -> Bool { int64(column) != 0 }

    @inlinable
    public func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }

    @inlinable
    public func optionalBlob(_ column: Int32) -> [UInt8]? { isNull(column) ? nil : blob(column) }

    @inlinable
    public func strings(_ column: Int32, separatedBy separator: UInt8) -> [String] {
        let bytes = unsafeText(column)
        var items: [String] = []
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == separator {
            if i > start { items.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)) }
            start = i + 1
        }
        return items
    }

    /// Decodes a domain enum stored as its raw string; an unknown string is corruption, not a default.
    @inlinable
    public func value<T: RawRepresentable>(_ type: T.Type, _ column: Int32) throws -> T where T.RawValue == String {
        let raw = string(column)
        guard let value = T(rawValue: raw) else {
            throw StoreError.corruptValue(column: columnName(column), value: raw)
        }
        return value
    }

}

extension StoredSpelling {
    /// Reads `column` of `row` by matching its bytes against each case's spelling (no String
    /// made); a spelling that is no case is `StoreError.corruptValue`, as with `value(_:_:)`.
    /// A static entry rather than a method on the row: generic only over the enum, it is
    /// specialized at each decoder even though the row is `any SQLRow`.
    @inlinable
    public init(_ row: any SQLRow, column: Int32) throws {
        if let value = Self.spellings.value(row.unsafeText(column)) {
            self = value
        } else {
            self = try row.value(Self.self, column)
        }
    }
}
