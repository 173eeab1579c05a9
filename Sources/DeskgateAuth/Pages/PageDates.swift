import DeskgateSystem

/// Dates on the pages: UTC, day precision in lists, as `<time>` so the exact instant is in the markup.
enum PageDates {
    static let millisecondsPerDay: Int64 = 86_400_000

    /// `<time datetime="2026-12-01T20:39:57.753Z">2026-12-01</time>`
    static func day(_ milliseconds: Int64) -> String {
        let iso = Timestamp.iso8601(milliseconds: milliseconds)
        return "<time datetime=\"\(HTML.escape(iso))\">\(HTML.escape(String(iso.prefix(10))))</time>"
    }

    /// `2026-12-01 20:39 UTC`, or "never".
    static func moment(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "never" }
        let iso = Timestamp.iso8601(milliseconds: milliseconds)
        let text = String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
        return "<time datetime=\"\(HTML.escape(iso))\">\(HTML.escape(text))</time>"
    }

    /// Whole days from `now` until `milliseconds`, rounded up (a token expiring in 3 hours expires "in 1 day").
    static func daysUntil(_ milliseconds: Int64, now: Int64) -> Int {
        let remaining = milliseconds - now
        guard remaining > 0 else { return 0 }
        return Int((remaining + millisecondsPerDay - 1) / millisecondsPerDay)
    }
}
