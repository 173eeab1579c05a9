@testable import DeskgateSQLite
import DeskgateSQL
import Testing
@testable import DeskgateStore
import DeskgateModel

/// Enums read by matching the column's bytes give what `init(rawValue:)` gives, case for case,
/// and the same corruption error for anything else.
@Suite struct StoredSpellingTests {
    static func decode<T: StoredSpelling>(_ type: T.Type, _ text: String?, on conn: SQLiteConnection) -> String {
        do {
            let value = try conn.queryOne("SELECT ?1 AS spelled", text) { try $0.value(type, 0) }
            return value.map { "value \($0)" } ?? "no row"
        } catch {
            return "error \(error)"
        }
    }

    static func decodeByRawValue<T: RawRepresentable>(_ type: T.Type, _ text: String?,
                                                      on conn: SQLiteConnection) -> String where T.RawValue == String {
        do {
            let value = try conn.queryOne("SELECT ?1 AS spelled", text) { try $0.value(type, 0) }
            return value.map { "value \($0)" } ?? "no row"
        } catch {
            return "error \(error)"
        }
    }

    static func check<T: StoredSpelling & Equatable>(_ type: T.Type, on conn: SQLiteConnection) {
        let spellings = T.allCases.map(\.rawValue)
        var samples: [String?] = spellings + [nil, "", "x", "OPEN", "open ", " open", "in_draf", "in_drafts", "on_goingon_goingon_going"]
        for spelling in spellings { samples.append(spelling + "\u{0}"); samples.append(String(spelling.dropLast())) }
        for text in samples {
            let fast = decode(type, text, on: conn), plain = decodeByRawValue(type, text, on: conn)
            #expect(fast == plain, "\(text ?? "NULL")")
            if let text, let expected = T(rawValue: text) { #expect(fast == "value \(expected)") }
        }
    }

    @Test func spellingsDecodeLikeRawValues() throws {
        try withTemporaryDirectory { dir in
            let conn = try SQLiteConnection(path: dir + "/t.sqlite", readOnly: false, busyTimeoutMilliseconds: 100)
            Self.check(TicketStatus.self, on: conn)
            Self.check(TicketPriority.self, on: conn)
            Self.check(ActState.self, on: conn)
        }
    }
}
