import DeskgateSQL

/// `ticket_list`'s `search_value`: a case-insensitive substring of a workflow ticket's title,
/// found through migration 13's trigram indexes.
/// - SQLite: the text as one quoted FTS5 phrase against `workflow_subject_trigrams`: the
///   trigram tokenizer matches it exactly where the subject contains it (case folded).
/// - PostgreSQL: `lower(subject) LIKE '%text%'` spelled as the `pg_trgm` index is, with
///   `%`, `_` and `\` escaped so that they are searched for.
/// Text shorter than `indexedLength` has no trigram: `ShortTitleSearch` serves it.
struct TitleSubstring {
    let dialect: SQLDialect

    /// Characters (Unicode scalars) a search needs before the trigram index can serve it.
    static let indexedLength = 3

    /// Rows `id`: workflow tickets (of any tenant on SQLite) whose title holds the text bound at `?`.
    var matchingIDs: String {
        switch dialect {
        case .sqlite:
            "SELECT rowid FROM workflow_subject_trigrams WHERE workflow_subject_trigrams MATCH ?"
        case .postgres:
            // Through migration 15's function: behind row-level security `LIKE` could not use the index.
            "SELECT m.id FROM deskgate_title_matches(?, NULL) AS m(id)"
        }
    }

    /// Above this many matching titles (of every tenant on SQLite, of the tenant on PostgreSQL)
    /// the matches stop driving the listing: looking each up costs more than checking the
    /// listing's rows against them. PostgreSQL pays more on both sides of the line: its plan for
    /// a rare text reads the listing's matches at about 3.6 µs a match (18 ms for 5,000), and
    /// proving a text common counts its titles in the trigram index up to the line (11 ms for
    /// 5,001, 6.4 ms for 2,001; pgbench at a million tickets). At 2,000 neither side of a
    /// decision passes about 10 ms. SQLite's own line (every `bulk` listing ≤ 1.2 ms at p50,
    /// docs/benchmarks.md) has not needed moving.
    static func drivingLimit(_ dialect: SQLDialect) -> Int {
        switch dialect {
        case .sqlite: 5_000
        case .postgres: 2_000
        }
    }

    /// Above `drivingLimit` matches, the rows of the listing (at least) that one call probes one
    /// by one in the index, about 5 ms at a million tickets; their matches hold the page and the count.
    static let walkRows = 500

    /// The walk's first stretch (SQLite): when none of these rows matches, the walk stops there
    /// and the listing's matches are read once instead (a probe of a long phrase costs tens of µs).
    static let sparseProbeRows = 100

    /// Rows of the listing a second walk tests when the first did not hold the page, where each
    /// row's title is tested in the row (PostgreSQL; SQLite where the listing's index holds the
    /// title, migration 22: well under a microsecond each), before the matches are read whole.
    static let longWalkRows = 50_000

    /// PostgreSQL's first look at how common a title text is (`titleIsCommon`): the newest
    /// titles read (about 0.4 ms; 1,000 cost a rare text 1.5 ms more than the count alone), and
    /// the titles a walk may read to find `drivingLimit + 1` matches, where the sample shows
    /// half the density that needs (a tenth at the defaults).
    static let commonSampleRows = 250
    static let commonWalkRows = 10_000

    /// Matching titles, counted up to `cap` (only the plan depends on it): of every tenant on
    /// SQLite, of `tenant` on PostgreSQL, whose function sees the tenant the connection names
    /// (bound here, unused, so the engine names it: a connection keeps the last one it served).
    func matchCount(_ value: String, cap: Int, tenant: RowTenant, on db: any SQLConnection) throws -> Int {
        let sql = switch dialect {
        case .sqlite: "SELECT count(*) FROM (\(matchingIDs) LIMIT ?2) AS hits WHERE ?3 IS NOT NULL"
        // Capped inside: its rows are read whole.
        case .postgres: "SELECT count(*) FROM deskgate_title_matches(?1, ?2) WHERE CAST(?3 AS bigint) IS NOT NULL"
        }
        return try db.queryOne(sql, bindings: [value, cap, tenant]) { $0.int(0) } ?? 0
    }

    /// The value to bind for `matchingIDs`.
    func value(_ text: String) -> String {
        switch dialect {
        case .sqlite:
            var quoted = "\""
            for scalar in text.unicodeScalars {
                if scalar == "\"" { quoted.unicodeScalars.append("\"") }
                quoted.unicodeScalars.append(scalar)
            }
            return quoted + "\""
        case .postgres:
            return Self.likePattern(text)
        }
    }

    /// `%text%` for `LIKE … ESCAPE '\'`, with `%`, `_` and `\` escaped so that they are searched for.
    static func likePattern(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            if scalar == "\\" || scalar == "%" || scalar == "_" { escaped.unicodeScalars.append("\\") }
            escaped.unicodeScalars.append(scalar)
        }
        return "%" + escaped + "%"
    }
}

/// A title search shorter than a trigram, which no index serves: matched in the process among
/// the newest `window` tickets of the listing only, so one call never reads a whole tenant.
/// The same code on both engines, so both find the same tickets.
enum ShortTitleSearch {
    /// Reading this many titles costs about 15 ms at a million tickets.
    static let window = 5_000

    /// Case-insensitive substring test on Unicode scalars (as the engines compare text: no
    /// canonical equivalence), lower-cased as Swift does.
    static func title(_ title: String, contains text: String) -> Bool {
        Matcher(text).matches(title)
    }

    /// The test above with the text prepared once, for the window's 5,000 titles: an ASCII title
    /// and text compare byte by byte with no copy (lower-casing each title as a new string cost
    /// most of the 5-18 ms the window took); anything else takes the general path.
    struct Matcher {
        private let needle: [Unicode.Scalar]
        /// The text's bytes lower-cased, when it is all ASCII.
        private let asciiNeedle: [UInt8]?

        init(_ text: String) {
            needle = Array(text.lowercased().unicodeScalars)
            asciiNeedle = text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.map(TitleSubstring.asciiLowered) : nil
        }

        func matches(_ title: String) -> Bool {
            guard !needle.isEmpty else { return true }
            if let asciiNeedle, let found = Self.asciiContains(title, asciiNeedle) { return found }
            let haystack = Array(title.lowercased().unicodeScalars)
            guard haystack.count >= needle.count else { return false }
            for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
                if Array(haystack[start..<(start + needle.count)]) == needle { return true }
            }
            return false
        }

        /// Nil when the title is not all ASCII (a letter beyond it may lower-case to an ASCII one).
        private static func asciiContains(_ title: String, _ needle: [UInt8]) -> Bool? {
            var title = title
            return title.withUTF8 { bytes -> Bool? in
                guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
                guard bytes.count >= needle.count else { return false }
                for start in 0...(bytes.count - needle.count) {
                    var offset = 0
                    while offset < needle.count, TitleSubstring.asciiLowered(bytes[start + offset]) == needle[offset] { offset += 1 }
                    if offset == needle.count { return true }
                }
                return false
            }
        }
    }
}

extension TitleSubstring {
    /// A byte with A-Z lower-cased and nothing else changed: ASCII folding, as SQLite's `LIKE`
    /// and PostgreSQL's `lower` under the C collation fold.
    static func asciiLowered(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte }

    /// Text with its ASCII letters lower-cased (`asciiLowered`), everything else as it was.
    static func asciiFolded(_ text: String) -> String { String(decoding: text.utf8.map(asciiLowered), as: UTF8.self) }
}
