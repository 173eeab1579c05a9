public import DeskgateSQL
import CPostgres

/// Rows in the text format of `COPY … FROM STDIN`: fields separated by a tab, rows ended by a
/// newline, `\N` for NULL. Text rather than binary: the server reads each field with its
/// column's own input function (bigint, integer, double precision, text, bytea alike), as it
/// reads the text parameters of an INSERT, so nothing here depends on the columns' exact types;
/// the price is four escapes and the server's parsing, small beside index maintenance.
///
/// Exact round trip: a backslash, tab, newline and carriage return in text are escaped (`\\`,
/// `\t`, `\n`, `\r`), every other byte goes as it is (the connection's encoding is UTF-8); an
/// empty string is an empty field, distinct from `\N`. A blob is bytea's hex form (`\\x…` once
/// escaped). PostgreSQL text cannot hold NUL in any format, so text with one is refused here
/// (`NULInText`) instead of failing the COPY with a message that names no column.
public struct PostgresCopyText: Sendable {
    /// The 0-based field of the row being written whose text holds a NUL character.
    public struct NULInText: Error, Sendable, Equatable {
        public let field: Int
    }

    public private(set) var bytes: [UInt8] = []
    /// Complete rows in `bytes`.
    public private(set) var rows = 0
    private var field = 0

    public init() {}

    public mutating func append(_ value: SQLValue) throws(NULInText) {
        if field > 0 { bytes.append(Self.tab) }
        switch value {
        case .null:
            bytes.append(Self.backslash)
            bytes.append(UInt8(ascii: "N"))
        case .integer(let value):
            bytes.append(contentsOf: String(value).utf8)
        case .real(let value):
            bytes.append(contentsOf: PostgresParameters.float8Text(value).utf8)
        case .text(let value):
            try appendEscaped(value)
        case .blob(let value):
            bytes.append(Self.backslash)
            bytes.append(Self.backslash)
            bytes.append(UInt8(ascii: "x"))
            for byte in value {
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            }
        }
        field += 1
    }

    public mutating func endRow() {
        bytes.append(Self.newline)
        rows += 1
        field = 0
    }

    /// Forgets what was sent, keeping the buffer for the next rows.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        rows = 0
        field = 0
    }

    private mutating func appendEscaped(_ text: String) throws(NULInText) {
        for byte in text.utf8 {
            switch byte {
            case 0: throw NULInText(field: field)
            case Self.backslash: bytes.append(Self.backslash); bytes.append(Self.backslash)
            case Self.tab: bytes.append(Self.backslash); bytes.append(UInt8(ascii: "t"))
            case Self.newline: bytes.append(Self.backslash); bytes.append(UInt8(ascii: "n"))
            case Self.carriageReturn: bytes.append(Self.backslash); bytes.append(UInt8(ascii: "r"))
            default: bytes.append(byte)
            }
        }
    }

    private static let backslash = UInt8(ascii: "\\")
    private static let tab = UInt8(ascii: "\t")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let hexDigits = Array("0123456789abcdef".utf8)
}

/// The data channel of a running `COPY … FROM STDIN` (`PostgresConnection.copyIn`).
public struct PostgresCopyIn {
    fileprivate let connection: PostgresConnection

    /// Hands `text`'s complete rows to libpq (which sends them as its buffer fills) and empties it.
    public func send(_ text: inout PostgresCopyText) throws {
        guard !text.bytes.isEmpty else { return }
        let sent = text.bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(connection.handle, $0.baseAddress, Int32($0.count)) }
        }
        // Blocking connection: 1 sent or queued, -1 failed (the connection, not the data: the
        // server's verdict on the rows comes with the COPY's result).
        guard sent == 1 else { throw connection.failure(nil, sql: nil) }
        text.removeAll()
    }
}

extension PostgresConnection {
    /// Runs `statement`, a `COPY table (columns) FROM STDIN` in text format, with `produce`
    /// sending its rows; returns how many rows the server stored. If `produce` throws, the COPY
    /// is abandoned (the server fails it, so the transaction around it has failed and nothing
    /// of it stays) and its error rethrown. Row-level security refuses COPY FROM for a role its
    /// policies bind: only the tables' owner loads this way.
    public func copyIn(_ statement: String, _ produce: (PostgresCopyIn) throws -> Void) throws -> Int {
        let started = PQexec(handle, statement)
        guard let started, PQresultStatus(started) == PGRES_COPY_IN else {
            defer { PQclear(started) }
            try check(started, statement: statement)
            throw StoreError.engine(code: SQLState.noStateCode, message: "not a COPY FROM STDIN: \(statement)")
        }
        PQclear(started)
        do {
            try produce(PostgresCopyIn(connection: self))
        } catch {
            _ = PQputCopyEnd(handle, "deskgate abandoned the copy")
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            let failure = failure(nil, sql: nil)
            drainResults()
            throw failure
        }
        // One result for the COPY, then NULL; a failure (a constraint, a malformed field) is
        // that result.
        var stored = 0
        var firstFailure: (any Error)?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            if firstFailure != nil { continue }
            do {
                try check(result, statement: statement)
                stored = Int(String(cString: PQcmdTuples(result))) ?? 0
            } catch {
                firstFailure = error
            }
        }
        if let firstFailure { throw firstFailure }
        return stored
    }

    /// Reads the results still owed after an abandoned COPY, so the connection takes commands again.
    private func drainResults() {
        while let result = PQgetResult(handle) { PQclear(result) }
    }
}
