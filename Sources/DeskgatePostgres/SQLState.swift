/// A PostgreSQL error code (SQLSTATE): five characters from 0-9 and A-Z, the first two naming
/// the class ("23" integrity constraint violation, "40" transaction rollback, …).
///
/// `StoreError` carries an `Int32` code, so a connection packs the SQLSTATE into it: the five
/// characters are read as a base-36 number (0-9 are 0-9, A-Z are 10-35, first character most
/// significant). The largest, "ZZZZZ", is 36^5 - 1 = 60,466,175, well inside `Int32`; packing
/// is one-to-one, so `SQLState(code:)` gives the text back ("23505" is 3,505,685). The code -1
/// means libpq reported the error itself, with no SQLSTATE.
public struct SQLState: Sendable, Hashable, CustomStringConvertible {
    /// The five characters, e.g. "23505".
    public let text: String

    /// The code of an error libpq raised on its own, without a SQLSTATE from the server.
    public static let noStateCode: Int32 = -1

    public init?(_ text: String) {
        guard text.utf8.count == 5, text.utf8.allSatisfy({ Self.digit($0) != nil }) else { return nil }
        self.text = text
    }

    /// Unpacks a code made by `code`; nil for anything else (e.g. `noStateCode`).
    public init?(code: Int32) {
        guard code >= 0 && code < 60_466_176 else { return nil }
        var remaining = code
        var characters = [UInt8](repeating: 0, count: 5)
        for position in stride(from: 4, through: 0, by: -1) {
            let digit = UInt8(remaining % 36)
            characters[position] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "A") + digit - 10
            remaining /= 36
        }
        text = String(decoding: characters, as: UTF8.self)
    }

    /// The SQLSTATE packed in base 36 (see the type's comment).
    public var code: Int32 {
        text.utf8.reduce(Int32(0)) { $0 * 36 + Int32(Self.digit($1)!) }
    }

    /// The class: the first two characters.
    public var errorClass: Substring { text.prefix(2) }

    public var description: String { text }

    private static func digit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension SQLState {
    /// A prepared statement's plan was made for a result shape that DDL has since changed
    /// ("cached plan must not change result type"): preparing the statement again fixes it.
    static let cachedPlanChanged = SQLState("0A000")!
    /// The prepared statement is not on the server (e.g. DEALLOCATE ran behind the cache's back).
    static let missingPreparedStatement = SQLState("26000")!
    /// A COMMIT found the transaction already failed, so it rolled back instead.
    static let failedTransaction = SQLState("25P02")!
    /// `statement_timeout` (or a cancel request) stopped the statement.
    static let queryCanceled = SQLState("57014")!
}
