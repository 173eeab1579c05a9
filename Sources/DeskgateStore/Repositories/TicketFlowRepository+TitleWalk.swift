import DeskgateSQL

/// The walks of the dense title search (`listDense` and the long walk) where each row's title
/// can be tested in the row itself (`TitleRows`): PostgreSQL always, SQLite in a relation
/// listing whose index carries the title (migration 22). Both find the tickets the trigram
/// indexes find.
extension TicketFlowRepository {
    /// The first `rows` rows of the listing in its order, each with whether its title holds the text.
    func walkTestingTitles(_ walk: TitleRows, rows: Int, on db: any SQLConnection) throws -> [(id: Int64, matches: Bool)] {
        try db.queryAll(walk.firstRows(), bindings: walk.test.bindings + walk.bindings + [rows]) { (id: $0.int64(0), matches: $0.bool(1)) }
    }

    /// The same walk of at most `rows` rows, but only its matches, and it ends at the `stop`th:
    /// a deep page needs the first matches only, and reading the rest of the walk cost as much
    /// again (118 against 240 ms for page 1000 of a title every ticket holds). `mayHoldMore`:
    /// the walk ended at its `stop`th match or read `rows` rows, so the listing may hold more
    /// matches than it found.
    func walkTestingTitles(_ walk: TitleRows, rows: Int, on db: any SQLConnection,
                           stoppingAfter stop: Int) throws -> (matches: [Int64], mayHoldMore: Bool) {
        if db.dialect == .sqlite, let bound = walk.bound { return try walkToBound(walk, bound, rows: rows, stoppingAfter: stop, on: db) }
        // Rows are pulled through the outer LIMIT one by one, so the walk stops with it.
        guard let bound = walk.bound else {
            // A listing that reads each row's ticket (a relation listing with filters) numbers
            // its rows in the same pass: a second pass for the cap would read every ticket again.
            let found = try db.queryAll("""
                SELECT w.id, w.holds, w.n FROM (\(walk.firstRows(numbered: true))) AS w WHERE w.holds OR w.n = ? LIMIT ?
                """, bindings: walk.test.bindings + walk.bindings + [rows, rows, stop + 1]) { (id: $0.int64(0), holds: $0.bool(1), n: $0.int(2)) }
            let matches = found.filter(\.holds).prefix(stop).map(\.id)
            return (matches, matches.count == stop || found.contains { $0.n == rows })
        }
        // The listing's index alone: the matches, then (only when they end before `stop`)
        // whether the listing reaches the cap, from the index alone. Numbering the rows in the
        // walk (a window function) cost as much as testing their titles: 9.1 against 7.6 ms
        // for 14,938 relation rows with no match, 16.5 against 9.2 ms for 20,000 matches.
        let matches = try db.queryAll("SELECT w.id FROM (\(walk.firstRows())) AS w WHERE w.holds LIMIT ?",
                                      bindings: walk.test.bindings + walk.bindings + [rows, stop]) { $0.int64(0) }
        if matches.count == stop { return (matches, true) }
        return (matches, try capRow(walk, keyedBy: bound.columns, rows: rows, on: db) != nil)
    }

    /// The key (time, id: `columns`, the walk's `bound`) of the listing's `rows`th row, from its
    /// index alone; nil when the listing is shorter.
    private func capRow(_ walk: TitleRows, keyedBy columns: String, rows: Int, on db: any SQLConnection) throws -> (at: Int64, id: Int64)? {
        try db.queryOne("""
            SELECT \(columns) FROM \(walk.from) WHERE \(walk.whereClause) ORDER BY \(walk.listed) LIMIT 1 OFFSET ?
            """, bindings: walk.bindings + [rows - 1]) { (at: $0.int64(0), id: $0.int64(1)) }
    }

    /// SQLite's form of the walk above for a listing keyed by `bound`: the cap's row first (its
    /// key, read from the index alone), then the matches up to it, the test in the WHERE clause.
    /// Through a subquery (and a window function for the marker) SQLite spent 20-42 ms on 14,938
    /// relation rows that a plain indexed walk tests in 4 ms.
    private func walkToBound(_ walk: TitleRows, _ bound: (order: String, columns: String), rows: Int,
                             stoppingAfter stop: Int, on db: any SQLConnection) throws -> (matches: [Int64], mayHoldMore: Bool) {
        let last = try capRow(walk, keyedBy: bound.columns, rows: rows, on: db)
        var whereClause = "\(walk.whereClause) AND \(walk.test.sql)", bindings = walk.bindings + walk.test.bindings
        if let last {
            whereClause += " AND (\(bound.columns)) \(bound.order == "DESC" ? ">=" : "<=") (?, ?)"
            bindings += [last.at, last.id]
        }
        let matches = try db.queryAll("""
            SELECT \(walk.id) FROM \(walk.from) WHERE \(whereClause) ORDER BY \(walk.listed) LIMIT ?
            """, bindings: bindings + [stop]) { $0.int64(0) }
        return (matches, last != nil || matches.count == stop)
    }
}

extension TicketFlowRepository {
    /// Whether more than `limit` of the tenant's workflow titles hold the text: the plan's
    /// choice, the same answer as `TitleSubstring.matchCount`. PostgreSQL's trigram index builds
    /// the bitmap of every match before a count can stop (21.7 ms for a title every workflow
    /// ticket holds, 31.9 ms for one a third hold), so it first reads the newest titles where
    /// migration 22 put them, `workflow_tickets_by_created`: a sample of 250, and if a tenth of it
    /// matches, a walk of up to 10,000 that stops at the `limit + 1`th match (2,001 matches among
    /// 6,000 titles in about 2.5 ms). Only what the walks cannot prove is counted in the index.
    /// (`sampleRows` and `walkRows` are parameters so tests can force each step.)
    func titleIsCommon(_ text: String, value: String, moreThan limit: Int, sampleRows: Int = TitleSubstring.commonSampleRows,
                       walkRows: Int = TitleSubstring.commonWalkRows, on db: any SQLConnection) throws -> Bool {
        let title = TitleSubstring(dialect: db.dialect)
        // ASCII text only: text beyond ASCII is tested through ICU's lower-casing in every row
        // (`TitleSubstring.postgresHolds`), where 10,000 titles could cost more than the count.
        guard db.dialect == .postgres, text.unicodeScalars.allSatisfy(\.isASCII),
              let test = title.rowTest(text, value: value, title: "w.subject", id: "w.id") else {
            return try title.matchCount(value, cap: limit + 1, tenant: scope.tenantKey, on: db) > limit
        }
        let newest = """
            SELECT t.id, t.subject FROM tickets t WHERE t.tenant_id = ? AND t.workflow_version_id IS NOT NULL
            ORDER BY t.created_at DESC, t.id DESC LIMIT ?
            """
        let sample = try db.queryOne("SELECT count(*), count(*) FILTER (WHERE \(test.sql)) FROM (\(newest)) AS w",
                                     bindings: test.bindings + [scope.tenantKey, sampleRows]) { (rows: $0.int(0), matches: $0.int(1)) }
        guard let sample else { return false }
        // Every title read: the count is exact.
        if sample.rows < sampleRows { return sample.matches > limit }
        if sample.matches > limit { return true }
        if sample.matches * walkRows >= (limit + 1) * sampleRows / 2 {
            let found = try db.queryOne("""
                SELECT count(*) FROM (SELECT 1 FROM (\(newest)) AS w WHERE \(test.sql) LIMIT ?) AS hits
                """, bindings: [scope.tenantKey, walkRows] + test.bindings + [limit + 1]) { $0.int(0) } ?? 0
            if found > limit { return true }
        }
        return try title.matchCount(value, cap: limit + 1, tenant: scope.tenantKey, on: db) > limit
    }
}

/// Where a title walk reads: the listing's FROM, WHERE and order, the id column, and the
/// test of each row's title.
struct TitleRows {
    let from: String
    let whereClause: String
    let bindings: [any SQLBindable]
    let listed: String
    let id: String
    let test: TitleTest
    /// The listing's order ("DESC" or "ASC") and its two key columns (time, id), where a walk
    /// may be bounded by a row's key (SQLite's relation rows).
    var bound: (order: String, columns: String)? = nil
}

extension TitleRows {
    /// The walk's first `?` rows in the listing's order, each with whether its title holds the
    /// text (`id`, `holds`; `numbered`: and its place, `n`). Bindings: the test's, the listing's,
    /// then the row count.
    func firstRows(numbered: Bool = false) -> String {
        let place = numbered ? ", row_number() OVER (ORDER BY \(listed)) AS n" : ""
        return "SELECT \(id) AS id, \(test.sql) AS holds\(place) FROM \(from) WHERE \(whereClause) ORDER BY \(listed) LIMIT ?"
    }
}

/// A SQL test of one row's title against the search text, with its bindings (they come first:
/// it stands in the select list).
struct TitleTest {
    let sql: String
    let bindings: [any SQLBindable]
}

extension TitleSubstring {
    /// The test of the title in `title` (of ticket `id`) that reads no other row, where the
    /// engine has one that finds exactly what the trigram index finds; nil where it has not
    /// (SQLite, text with a letter beyond ASCII: only the index folds case as it does).
    /// - PostgreSQL: `postgresHolds`, the index's own expression, behind the ASCII shortcut below.
    /// - SQLite, ASCII text: `LIKE` (case-insensitive for ASCII letters only). A title it
    ///   matches holds the text for the index too; one it does not match can still hold it for
    ///   the index only if it has a letter beyond ASCII (the tokenizer folds, say, the Kelvin
    ///   sign to `k`): those alone are probed in the index by rowid.
    func rowTest(_ text: String, value: String, title: String, id: String) -> TitleTest? {
        switch dialect {
        case .postgres:
            guard text.unicodeScalars.allSatisfy(\.isASCII) else { return TitleTest(sql: Self.postgresHolds(title), bindings: [value]) }
            // The same reasoning with ASCII folding only (`lower` under the C collation): ICU's
            // lower-casing then runs only for titles beyond ASCII (19-22 against 13-14 ms for
            // 14,938 relation rows with no match). `strpos` of the folded text, not `ILIKE`,
            // which folds the pattern again in every row before it matches: the test costs those
            // rows 4.1 against 6.1 ms (pgbench, 200 runs each). (Only U+0130 and U+212A lower-case
            // through ICU to something with ASCII in it; testing for them cost more than `length`.)
            return TitleTest(sql: """
                CASE WHEN strpos(lower(\(title) COLLATE "C"), ?) > 0 THEN true WHEN octet_length(\(title)) = length(\(title)) THEN false
                ELSE \(Self.postgresHolds(title)) END
                """, bindings: [Self.asciiFolded(text), value])
        case .sqlite:
            guard text.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
            // CASE, not OR: in a select list SQLite computes both sides of an OR, and the probe
            // of a common text cost 40 ms for 500 rows that LIKE had already matched.
            return TitleTest(sql: """
                CASE WHEN \(title) LIKE ? ESCAPE '\\' THEN 1 WHEN length(CAST(\(title) AS BLOB)) = length(\(title)) THEN 0
                ELSE EXISTS (SELECT 1 FROM workflow_subject_trigrams s WHERE s.workflow_subject_trigrams MATCH ? AND s.rowid = \(id)) END
                """, bindings: [Self.likePattern(text), value])
        }
    }
}

extension TicketFlowRepository {
    /// PostgreSQL, a relation category: the participant rows in their index's order, each
    /// ticket looked up by key (a LATERAL subquery the planner cannot flatten: OFFSET 0), for
    /// the walks that stop after a few hundred or thousand rows. As a plain join, the generic
    /// plan (its created_at window a guess) hashed every workflow ticket first: 0.4–0.5 s.
    /// Nil elsewhere: the listing's own FROM serves.
    func walkFrom(_ isRelation: Bool, _ dialect: SQLDialect) -> String? {
        guard isRelation, dialect == .postgres else { return nil }
        return "ticket_participants p CROSS JOIN LATERAL "
            + "(SELECT * FROM tickets s WHERE s.tenant_id = p.tenant_id AND s.id = p.ticket_id OFFSET 0) AS t"
    }
}

extension TitleSubstring {
    /// PostgreSQL: true when the title in `column` holds the text bound at `?`: `lower(…) LIKE`
    /// with the collation the trigram index of migration 13 is built with.
    static func postgresHolds(_ column: String) -> String {
        "lower(\(column) COLLATE \"und-x-icu\") LIKE lower(? COLLATE \"und-x-icu\") ESCAPE '\\'"
    }
}

extension SQLDialect {
    /// True when `column` is one of the integers of the JSON array bound at `parameter`, for a
    /// few ids looked up by the column's index. PostgreSQL: `= ANY` of an array built once;
    /// `IN (subquery)` behind row-level security got a generic plan that hashed the ids and
    /// scanned the whole table (0.6 s for 20 tickets at a million).
    func isMember(_ column: String, ofJSONArray parameter: String) -> String {
        switch self {
        case .sqlite: "\(column) IN (\(integers(inJSONArray: parameter)))"
        case .postgres: "\(column) = ANY (ARRAY(\(integers(inJSONArray: parameter))))"
        }
    }
}

extension TitleSubstring {
    /// True when ticket id `column` is among the matches (`matchingIDs`, the text bound at `?`).
    /// SQLite: many matches get a unary + (SQLite then checks the listing's rows against them
    /// instead of driving by them). PostgreSQL: few matches are an array built once, whose ids
    /// the primary key finds; as `IN (subquery)` the generic plan walked the listing instead
    /// (40 ms through 50,000 of one creator's tickets for 3 matches).
    func holds(_ column: String, dense: Bool) -> String {
        switch dialect {
        case .sqlite: "\(dense ? "+" : "")\(column) IN (\(matchingIDs))"
        case .postgres: dense ? "\(column) IN (\(matchingIDs))" : "\(column) = ANY (ARRAY(\(matchingIDs)))"
        }
    }
}
