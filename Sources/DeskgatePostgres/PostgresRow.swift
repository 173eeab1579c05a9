import DeskgateSQL
import CPostgres

/// One row of a text-format result. Results come back as text (libpq's default): every type
/// has a text form, while the binary forms of numeric, timestamps and the rest would each need
/// a decoder. So integers and floats are parsed from text, booleans read `t`/`f` as 1/0 (the
/// store's flags are integers, but expressions such as `EXISTS` are boolean), and bytea's hex
/// text is decoded for `blob`.
///
/// Two words, so `any SQLRow` holds it inline without allocating. Valid only during the row
/// callback: the result it points into is cleared afterwards.
struct PostgresRow: SQLRow {
    let result: OpaquePointer
    let row: Int32

    static let boolType: UInt32 = 16

    func isNull(_ column: Int32) -> Bool { PQgetisnull(result, row, column) != 0 }

    func int64(_ column: Int32) -> Int64 {
        let text = unsafeText(column)
        if PQftype(result, column) == Self.boolType { return text.first == UInt8(ascii: "t") ? 1 : 0 }
        return PostgresText.int64(text)
    }

    func double(_ column: Int32) -> Double {
        let text = unsafeText(column)
        if PQftype(result, column) == Self.boolType { return text.first == UInt8(ascii: "t") ? 1 : 0 }
        return PostgresText.double(text)
    }

    /// The column's text; a bytea column's bytes decoded as UTF-8 (SQLite reads a blob as text
    /// that way too).
    func string(_ column: Int32) -> String {
        let text = unsafeText(column)
        if PQftype(result, column) == PostgresParameters.bytea, let bytes = PostgresText.bytea(text) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A bytea column decoded; any other column's text bytes (as SQLite reads text as a blob).
    func blob(_ column: Int32) -> [UInt8] {
        let text = unsafeText(column)
        if PQftype(result, column) == PostgresParameters.bytea, let bytes = PostgresText.bytea(text) { return bytes }
        return Array(text)
    }

    /// The bytes libpq holds for the column, as sent: for bytea that is its hex text, since
    /// decoding would need storage that outlives this call.
    func unsafeText(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let value = PQgetvalue(result, row, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        let count = Int(PQgetlength(result, row, column))
        // CChar and UInt8 may alias (signed and unsigned forms of one integer type).
        return UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: count)
    }

    func columnName(_ column: Int32) -> String {
        guard let name = PQfname(result, column) else { return "column \(column)" }
        return String(cString: name)
    }
}
