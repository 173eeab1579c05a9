import DeskgateSQL
import Testing
@testable import DeskgatePostgres

/// `PostgresCopyText`'s spelling, as a table (no server needed).
@Suite struct CopyTextTests {
    static let cases: [(SQLValue, String)] = [
        (.null, "\\N"),
        (.text(""), ""),
        (.text("\\N"), "\\\\N"),
        (.text("a\tb\nc\rd\\e"), "a\\tb\\nc\\rd\\\\e"),
        (.text("\\."), "\\\\."),
        (.text("Zoë 🚀"), "Zoë 🚀"),
        (.integer(.min), "-9223372036854775808"),
        (.real(-0.0), "-0.0"),
        (.real(.infinity), "Infinity"),
        (.blob([]), "\\\\x"),
        (.blob([0, 0x5c, 0xff]), "\\\\x005cff"),
    ]

    @Test(arguments: cases)
    func spellsAValue(_ value: SQLValue, _ expected: String) throws {
        var text = PostgresCopyText()
        try text.append(value)
        text.endRow()
        #expect(String(decoding: text.bytes, as: UTF8.self) == expected + "\n")
    }

    @Test func separatesFieldsAndRows() throws {
        var text = PostgresCopyText()
        try text.append(.integer(1)); try text.append(.null); try text.append(.text(""))
        text.endRow()
        try text.append(.integer(2)); try text.append(.text("x")); try text.append(.null)
        text.endRow()
        #expect(String(decoding: text.bytes, as: UTF8.self) == "1\t\\N\t\n2\tx\t\\N\n")
        #expect(text.rows == 2)
        text.removeAll()
        #expect(text.bytes.isEmpty && text.rows == 0)
    }

    @Test func refusesNULInTextNamingTheField() throws {
        var text = PostgresCopyText()
        try text.append(.integer(1))
        #expect(throws: PostgresCopyText.NULInText(field: 1)) { try text.append(.text("a\u{0}b")) }
    }
}

/// `copyIn` against the server: values come back exactly, and a COPY that fails or is
/// abandoned leaves nothing and a connection that works.
@Suite(.enabled(if: LiveDatabase.isConfigured, LiveDatabase.skipped))
struct CopyInTests {
    static let rows: [[SQLValue]] = [
        [.integer(1), .text("tab\there"), .null, .null, .null],
        [.integer(2), .text("new\nline and\r\nCRLF"), .integer(.max), .real(0.1 + 0.2), .blob(Array(0...255))],
        [.integer(3), .text("back\\slash \\N \\. \\x41"), .integer(.min), .real(-0.0), .blob([])],
        [.integer(4), .text(""), .integer(0), .real(.leastNonzeroMagnitude), .blob([0])],
        [.integer(5), .text("héllo wörld 🎫 — 日本語 e\u{301} \u{7f}\u{1}"), .null, .real(.greatestFiniteMagnitude), .null],
        [.integer(6), .text(String(repeating: "large\ttext\n\\", count: 200_000)), .integer(-1), .real(-.infinity), .null],
        [.integer(7), .null, .null, .null, .null],
    ]

    @Test func roundTripsEveryEdgeExactly() throws {
        try LiveDatabase.withSchema { db, _ throws in
            try db.execute(script: "CREATE TABLE t (k int8 PRIMARY KEY, s text, i int8, d float8, b bytea)")
            let stored = try db.copyIn("COPY t (k, s, i, d, b) FROM STDIN") { channel in
                var text = PostgresCopyText()
                for row in Self.rows {
                    for value in row { try text.append(value) }
                    text.endRow()
                    // A send per row too: rows split across sends arrive whole.
                    if row[0] == .integer(3) { try channel.send(&text) }
                }
                try channel.send(&text)
            }
            #expect(stored == Self.rows.count)
            let back = try db.queryAll("SELECT k, s, i, d, b FROM t ORDER BY k") { row in
                [SQLValue.integer(row.int64(0)),
                 row.isNull(1) ? .null : .text(row.string(1)),
                 row.isNull(2) ? .null : .integer(row.int64(2)),
                 row.isNull(3) ? .null : .real(row.double(3)),
                 row.isNull(4) ? .null : .blob(row.blob(4))]
            }
            #expect(back == Self.rows)
            // -0.0 == 0.0 for Equatable: the sign must survive too.
            #expect(try db.queryOne("SELECT d FROM t WHERE k = 3") { $0.double(0) }?.sign == .minus)
            #expect(try db.queryOne("SELECT count(*) FROM t WHERE s = ''") { $0.int64(0) } == 1)
            #expect(try db.queryOne("SELECT count(*) FROM t WHERE s IS NULL") { $0.int64(0) } == 1)
        }
    }

    @Test func aFailedCopyLeavesNothingAndTheConnectionWorks() throws {
        try LiveDatabase.withSchema { db, _ throws in
            try db.execute(script: "CREATE TABLE t (k int8 PRIMARY KEY)")
            try db.execute(script: "BEGIN")
            _ = try db.copyIn("COPY t (k) FROM STDIN") { channel in
                var text = PostgresCopyText()
                try text.append(.integer(1)); text.endRow()
                try channel.send(&text)
            }
            // The server refuses the duplicate key: the error is the COPY's.
            #expect(throws: StoreError.self) {
                try db.copyIn("COPY t (k) FROM STDIN") { channel in
                    var text = PostgresCopyText()
                    for k in [2, 3, 1] { try text.append(.integer(Int64(k))); text.endRow() }
                    try channel.send(&text)
                }
            }
            #expect(db.isTransactionFailed)
            try db.execute(script: "ROLLBACK")
            #expect(try db.queryOne("SELECT count(*) FROM t") { $0.int64(0) } == 0)
        }
    }

    @Test func anAbandonedCopyRethrowsAndStoresNothing() throws {
        struct Stop: Error {}
        try LiveDatabase.withSchema { db, _ throws in
            try db.execute(script: "CREATE TABLE t (k int8 PRIMARY KEY)")
            #expect(throws: Stop.self) {
                try db.copyIn("COPY t (k) FROM STDIN") { channel in
                    var text = PostgresCopyText()
                    try text.append(.integer(1)); text.endRow()
                    try channel.send(&text)
                    throw Stop()
                }
            }
            #expect(try db.queryOne("SELECT count(*) FROM t") { $0.int64(0) } == 0)
            #expect(try db.copyIn("COPY t (k) FROM STDIN") { channel in
                var text = PostgresCopyText()
                try text.append(.integer(2)); text.endRow()
                try channel.send(&text)
            } == 1)
        }
    }

    @Test func refusesAStatementThatIsNotACopy() throws {
        let db = try LiveDatabase.connect()
        #expect(throws: StoreError.self) { try db.copyIn("SELECT 1") { _ in } }
        #expect(try db.queryOne("SELECT 2") { $0.int64(0) } == 2)
    }
}
