/// Timestamp formatting without Foundation or libc's calendar, on bytes: results carry several
/// timestamps each. String interpolation made this ~7k instructions per call (callgrind), and
/// `gmtime_r` (its time-zone lock and conversion) still ~0.5k per timestamp after that.
public enum Timestamp {
    /// `2026-11-21T13:24:00.123Z`
    public static func iso8601(milliseconds: Int64) -> String {
        ISO8601Text(milliseconds: milliseconds).string
    }

    /// `2026-11-21T13:24:00Z` from Unix seconds.
    public static func iso8601(seconds: Int64) -> String {
        ISO8601Text(milliseconds: seconds * 1000, withMilliseconds: false).string
    }

    /// The same UTC date and time `years` calendar years later. 29 February becomes 28 February
    /// in a year without one, as calendar libraries do (Java's `plusYears`, .NET's `AddYears`).
    /// A fixed count of days is not this: 730 days fall a day short across a leap day.
    public static func addingCalendarYears(_ years: Int, to milliseconds: Int64) -> Int64 {
        let days = milliseconds.dividedFloor(by: 86_400_000)
        let timeOfDay = milliseconds - days * 86_400_000
        let date = CivilDate(daysSinceEpoch: days)
        let year = date.year + years
        let day = date.month == 2 && date.day == 29 && !CivilDate.isLeap(year) ? 28 : date.day
        return CivilDate(year: year, month: date.month, day: day).daysSinceEpoch * 86_400_000 + timeOfDay
    }
}

/// The 24 (or, without milliseconds, 20) bytes of a UTC time in ISO 8601, held inline: a writer
/// copies them into its output without a `String` (which would be a heap allocation, since
/// more than 15 bytes do not fit a small string).
public struct ISO8601Text: Sendable {
    private var storage: (UInt64, UInt64, UInt64) = (0, 0, 0)
    public let count: Int

    public init(milliseconds: Int64, withMilliseconds: Bool = true) {
        let seconds = milliseconds.dividedFloor(by: 1000)
        let millis = Int(milliseconds - seconds * 1000)
        let days = seconds.dividedFloor(by: 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        count = withMilliseconds ? 24 : 20
        withUnsafeMutableBytes(of: &storage) { raw in
            let out = raw.bindMemory(to: UInt8.self)
            var index = 0
            func put(_ value: Int, digits: Int) {
                // The last `digits` decimal digits, as the earlier formatter wrote them (a year past
                // 9999 keeps its last four; before year 0 the digit conversion traps, as it did).
                var remaining = value
                for position in stride(from: index + digits - 1, through: index, by: -1) {
                    out[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                    remaining /= 10
                }
                index += digits
            }
            func put(_ character: Unicode.Scalar) {
                out[index] = UInt8(character.value)
                index += 1
            }
            put(date.year, digits: 4); put("-")
            put(date.month, digits: 2); put("-")
            put(date.day, digits: 2); put("T")
            put(secondOfDay / 3600, digits: 2); put(":")
            put(secondOfDay / 60 % 60, digits: 2); put(":")
            put(secondOfDay % 60, digits: 2)
            if withMilliseconds { put("."); put(millis, digits: 3) }
            put("Z")
        }
    }

    /// The text's bytes (plain ASCII: digits, `-`, `:`, `.`, `T`, `Z`).
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeBytes(of: storage) { raw in
            body(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self).prefix(count)))
        }
    }

    public var string: String {
        withBytes { String(decoding: $0, as: UTF8.self) }
    }
}

/// A proleptic Gregorian date from a day count, by arithmetic (what `gmtime_r` computes, less
/// its locking and time-zone work). TimestampTests compares the two over a wide range.
struct CivilDate {
    let year: Int
    let month: Int
    let day: Int

    init(daysSinceEpoch days: Int64) {
        // Count from 0000-03-01, so that February, with its leap day, ends each year: then every
        // 400 years are 146,097 days, and month lengths from March on repeat a 153-day pattern
        // every five months (31 30 31 30 31).
        let fromMarch = days + 719_468
        let era = fromMarch.dividedFloor(by: 146_097)
        let dayOfEra = fromMarch - era * 146_097                        // 0 ... 146_096
        // Years of 365 days, less the leap days (every 4th year, not every 100th, every 400th).
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365  // 0 ... 399
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // 0 ... 365
        let monthFromMarch = (5 * dayOfYear + 2) / 153                  // 0 = March ... 11 = February
        day = Int(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1)
        month = Int(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9)
        year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
    }

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The inverse of `init(daysSinceEpoch:)`, on the same March-first years.
    var daysSinceEpoch: Int64 {
        let marchYear = Int64(month <= 2 ? year - 1 : year)
        let era = marchYear.dividedFloor(by: 400)
        let yearOfEra = marchYear - era * 400                                           // 0 ... 399
        let monthFromMarch = Int64(month > 2 ? month - 3 : month + 9)                   // 0 ... 11
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + Int64(day) - 1                 // 0 ... 365
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear    // 0 ... 146_096
        return era * 146_097 + dayOfEra - 719_468
    }

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (times before 1970 stay correct).
    fileprivate func dividedFloor(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
