import DeskgateHTTPClient

/// How long a fetched document may be reused, from its response headers (RFC 9111), clamped
/// so a client can neither pin a stale registration for weeks nor force a fetch per request.
enum CacheLifetime {
    static let minimumSeconds = 60
    static let maximumSeconds = 86_400
    static let defaultSeconds = 3_600

    /// `now` is Unix seconds; it is used only when the response has no usable `Date`.
    static func seconds(cacheControl: String?, expires: String?, date: String?, age: String?, now: Int) -> Int {
        clamp(rawSeconds(cacheControl: cacheControl, expires: expires, date: date, age: age, now: now))
    }

    private static func clamp(_ value: Int) -> Int {
        min(max(value, minimumSeconds), maximumSeconds)
    }

    private static func rawSeconds(cacheControl: String?, expires: String?, date: String?, age: String?, now: Int) -> Int {
        let ageSeconds = age.flatMap { Int($0.trimmingHTTPWhitespace()) }.map { max(0, $0) } ?? 0
        if let cacheControl {
            var maxAge: Int?
            for directive in cacheControl.split(separator: ",") {
                let parts = directive.split(separator: "=", maxSplits: 1)
                let name = parts.first.map { $0.trimmingHTTPWhitespace().lowercased() } ?? ""
                switch name {
                case "no-store", "no-cache":
                    // We do not revalidate, so "check every time" and "do not keep" both mean the floor.
                    return minimumSeconds
                case "max-age":
                    var value = parts.count == 2 ? parts[1].trimmingHTTPWhitespace() : ""
                    if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                    // A malformed max-age makes the response stale (RFC 9111 §4.2.1).
                    guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return minimumSeconds }
                    maxAge = Int(value.prefix(10)) ?? maximumSeconds
                default:
                    continue
                }
            }
            if let maxAge { return maxAge - ageSeconds }
        }
        if let expires {
            // An invalid Expires means "already expired" (RFC 9111 §5.3).
            guard let expiry = HTTPDate.parse(expires) else { return minimumSeconds }
            let reference = date.flatMap(HTTPDate.parse) ?? now
            return expiry - reference - ageSeconds
        }
        return defaultSeconds
    }
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form servers send today; the
/// obsolete forms are treated as invalid, which the callers handle as "expired".
enum HTTPDate {
    static func parse(_ text: String) -> Int? {
        let parts = text.trimmingHTTPWhitespace().split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
              parts[1].count == 2, let day = Int(parts[1]),
              let monthIndex = months.firstIndex(of: String(parts[2])),
              parts[3].count == 4, let year = Int(parts[3]) else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
              let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
              (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        return daysFromCivil(year: year, month: monthIndex + 1, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
