import DeskgateSQL
import Testing
@testable import DeskgatePostgres

/// Every kind of bound value comes back as it went in, typed by the value, not by the SQL.
@Suite(.enabled(if: LiveDatabase.isConfigured, LiveDatabase.skipped))
struct ValueRoundTripTests {
    struct Stored: Equatable {
        var integer: Int64?
        var real: Double?
        var text: String?
        var blob: [UInt8]?
    }

    @Test func everyValueKindRoundTripsThroughATable() throws {
        try LiveDatabase.withSchema { db, _ throws in
            try db.execute(script: "CREATE TABLE t (k int8 PRIMARY KEY, i int8, d float8, s text, b bytea)")
            let unicode = "héllo wörld 🎫 — 日本語 \u{301}"
            let blob: [UInt8] = [0, 1, 0, 255, 0, 92, 120]  // NULs, and "\x" inside
            let insert = "INSERT INTO t (k, i, d, s, b) VALUES (?1, ?2, ?3, ?4, ?5)"
            try db.run(insert, 1, Int64.min, 2.5, unicode, blob)
            try db.run(insert, 2, Int64.max, -0.0, "", [UInt8]())
            try db.run(insert, 3, nil as Int64?, nil as Double?, nil as String?, nil as [UInt8]?)
            try db.run(insert, 4, SQLNull(), SQLNull(), SQLNull(), SQLNull())
            try db.run("INSERT INTO t (k, i, d, s) VALUES (?, ?, ?, ?)", 5, 0, 1e-5, "'quoted' \"and\" \\ ?1")
            let rows = try db.queryAll("SELECT i, d, s, b FROM t ORDER BY k") { row in
                Stored(integer: row.optionalInt64(0), real: row.isNull(1) ? nil : row.double(1),
                       text: row.optionalString(2), blob: row.optionalBlob(3))
            }
            #expect(rows == [
                Stored(integer: .min, real: 2.5, text: unicode, blob: blob),
                Stored(integer: .max, real: -0.0, text: "", blob: []),
                Stored(),
                Stored(),
                Stored(integer: 0, real: 1e-5, text: "'quoted' \"and\" \\ ?1", blob: nil),
            ])
            // Empty text and empty blobs are not NULL.
            #expect(try db.queryOne("SELECT count(*) FROM t WHERE s = '' AND b = ''::bytea") { $0.int64(0) } == 1)
            // NULL reads as SQLite reads it: 0, empty.
            let null = try db.queryOne("SELECT i, d, s, b FROM t WHERE k = 3") { row in
                row.isNull(0) && row.int64(0) == 0 && row.double(1) == 0 && row.string(2) == "" && row.blob(3) == []
                    && row.unsafeText(2).count == 0
            }
            #expect(null == true)
        }
    }

    @Test func floatsRoundTripExactly() throws {
        let db = try LiveDatabase.connect()
        for value in [0.1 + 0.2, 1e-5, -0.0, .pi, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .infinity, -.infinity, 123_456_789.125] {
            let back = try db.queryOne("SELECT ?1", value) { $0.double(0) }
            #expect(back?.bitPattern == value.bitPattern, "\(value)")
        }
        #expect(try db.queryOne("SELECT ?1", Double.nan) { $0.double(0) }?.isNaN == true)
    }

    @Test func valuesCarryTheirOwnTypes() throws {
        let db = try LiveDatabase.connect()
        let types = try [42 as any SQLBindable, 2.5, "x", [UInt8]([1])].map { value in
            try db.queryOne("SELECT pg_typeof(?1)::text", value) { $0.string(0) }
        }
        #expect(types == ["bigint", "double precision", "text", "bytea"])
        // Typed by the value, so this is int8 arithmetic (as SQLite's), not int4 by context.
        #expect(try db.queryOne("SELECT ?1 + 1", Int64.max - 1) { $0.int64(0) } == .max)
        // NULL has no type of its own: the server infers it from context.
        #expect(try db.queryOne("SELECT ?1::int8 IS NULL", SQLNull()) { $0.bool(0) } == true)
        #expect(try db.queryOne("SELECT coalesce(?1, 'fallback')", nil as String?) { $0.string(0) } == "fallback")
    }

    @Test func rowReadsEveryShape() throws {
        let db = try LiveDatabase.connect()
        let sql = "SELECT true, false, 1 = 2, 7::numeric / 2, 12.9::float8, 'a' || chr(31) || 'bc' || chr(31) AS joined, '\\x00ff'::bytea, 'text'::bytea"
        var checks: [String: Bool] = [:]
        let found = try db.readFirstRow(sql, bindings: []) { row in
            checks["bool"] = row.bool(0) && !row.bool(1) && !row.bool(2) && row.int64(0) == 1 && row.double(0) == 1
            checks["numeric"] = row.int64(3) == 3 && row.double(3) == 3.5
            checks["float8"] = row.int64(4) == 12 && row.double(4) == 12.9
            checks["strings"] = row.strings(5, separatedBy: 31) == ["a", "bc"] && row.columnName(5) == "joined"
            checks["bytea"] = row.blob(6) == [0, 255] && Array(row.unsafeText(6)) == Array(#"\x00ff"#.utf8) && row.string(7) == "text"
        }
        #expect(found)
        #expect(checks == ["bool": true, "numeric": true, "float8": true, "strings": true, "bytea": true])
    }

    @Test func textWithNULIsRefusedNotTruncated() throws {
        let db = try LiveDatabase.connect()
        let prepared = db.preparedStatementCount
        #expect {
            try db.queryOne("SELECT ?1", "s3cret\u{0}tail") { $0.string(0) }
        } throws: { error in
            guard case let StoreError.invalidInput(message) = error else { return false }
            return !message.contains("s3cret")
        }
        #expect(db.preparedStatementCount == prepared)
    }

    @Test func scriptsRunDollarQuotesAndSwallowNotices() throws {
        try LiveDatabase.withSchema { db, _ throws in
            // Notices go nowhere (not to stderr); the script runs whole.
            try db.execute(script: """
                DROP TABLE IF EXISTS missing;
                CREATE TABLE t (s text);
                DO $$ BEGIN RAISE NOTICE 'a notice with a ? in it'; INSERT INTO t VALUES ('?1'); END $$;
                """)
            #expect(try db.queryOne("SELECT s, $x$ ? $x$, ?1 FROM t", "bound") { "\($0.string(0))|\($0.string(1))|\($0.string(2))" }
                    == "?1| ? |bound")
        }
    }
}
