@testable import DeskgateAuth
import Testing

@Suite struct CacheLifetimeTests {
    struct Row: Sendable, CustomStringConvertible {
        var cacheControl: String?
        var expires: String?
        var date: String?
        var age: String?
        let seconds: Int
        var description: String { "\(cacheControl ?? "-") | \(expires ?? "-") | \(date ?? "-") | \(age ?? "-")" }
    }

    /// 1994-11-06 08:49:37 GMT, the RFC's example date.
    static let now = 784_111_777

    static let rows: [Row] = [
        Row(seconds: 3600),
        Row(cacheControl: "max-age=600", seconds: 600),
        Row(cacheControl: "public, max-age=7200", seconds: 7200),
        Row(cacheControl: "max-age=\"900\"", seconds: 900),
        Row(cacheControl: "MAX-AGE = 120", seconds: 120),
        Row(cacheControl: "max-age=10", seconds: 60),
        Row(cacheControl: "max-age=0", seconds: 60),
        Row(cacheControl: "max-age=31536000", seconds: 86_400),
        Row(cacheControl: "max-age=99999999999999999999", seconds: 86_400),
        Row(cacheControl: "max-age=-5", seconds: 60),
        Row(cacheControl: "max-age=abc", seconds: 60),
        Row(cacheControl: "no-store", seconds: 60),
        Row(cacheControl: "max-age=600, no-store", seconds: 60),
        Row(cacheControl: "no-cache", seconds: 60),
        Row(cacheControl: "private", seconds: 3600),
        Row(cacheControl: "max-age=600", age: "100", seconds: 500),
        Row(cacheControl: "max-age=600", expires: "Sun, 06 Nov 1994 08:49:37 GMT", seconds: 600),
        Row(expires: "Sun, 06 Nov 1994 10:49:37 GMT", seconds: 7200),
        Row(expires: "Sun, 06 Nov 1994 10:49:37 GMT", date: "Sun, 06 Nov 1994 09:49:37 GMT", seconds: 3600),
        Row(expires: "Sun, 06 Nov 1994 08:49:37 GMT", seconds: 60),
        Row(expires: "Sat, 05 Nov 1994 08:49:37 GMT", seconds: 60),
        Row(expires: "Mon, 06 Nov 1995 08:49:37 GMT", seconds: 86_400),
        Row(expires: "0", seconds: 60),
        Row(expires: "Sunday, 06-Nov-94 08:49:37 GMT", seconds: 60),
        Row(cacheControl: "public", expires: "Sun, 06 Nov 1994 09:49:37 GMT", seconds: 3600),
    ]

    @Test(arguments: rows) func lifetime(_ row: Row) {
        #expect(CacheLifetime.seconds(cacheControl: row.cacheControl, expires: row.expires, date: row.date, age: row.age,
                                      now: Self.now) == row.seconds)
    }

    @Test func parsesIMFFixdate() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == Self.now)
        #expect(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(HTTPDate.parse("Tue, 01 Dec 2026 18:00:00 GMT") == 1_796_148_000)
        #expect(HTTPDate.parse("Tue, 01 Dec 2026 18:00:00 UTC") == nil)
        #expect(HTTPDate.parse("Tue, 01 Foo 2026 18:00:00 GMT") == nil)
        #expect(HTTPDate.parse("Tue, 01 Dec 2026 25:00:00 GMT") == nil)
    }
}
