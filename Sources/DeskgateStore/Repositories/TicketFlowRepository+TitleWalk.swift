import DeskgateSQL

/// PostgreSQL's half of the dense title search (`listDense`): where SQLite probes its trigram
/// index by rowid for each row walked, PostgreSQL tests the row's own title, spelled as the
/// `pg_trgm` index is (`TitleSubstring.postgresHolds`), so both find the same tickets.
extension TicketFlowRepository {
    /// The first `rows` rows of the listing in its order, each with whether its title holds the
    /// text bound first (`value`, as `TitleSubstring.value` spells it).
    func walkTestingTitles(_ value: String, from: String, where whereClause: String, bindings: [any SQLBindable],
                           listed: String, rows: Int, on db: any SQLConnection) throws -> [(id: Int64, matches: Bool)] {
        try db.queryAll("""
            SELECT t.id, \(TitleSubstring.postgresHolds("t.subject")) FROM \(from) WHERE \(whereClause) ORDER BY \(listed) LIMIT ?
            """, bindings: [value] + bindings + [rows]) { (id: $0.int64(0), matches: $0.bool(1)) }
    }

    /// The same walk of at most `rows` rows, but only its matches, and it ends at the `stop`th:
    /// a deep page needs the first matches only, and reading the rest of the walk cost as much
    /// again (118 against 240 ms for page 1000 of a title every ticket holds). `reachedTheCap`:
    /// the walk read `rows` rows (its last row comes back as a marker even when it does not match),
    /// so the listing may hold more matches than it found.
    func walkTestingTitles(_ value: String, from: String, where whereClause: String, bindings: [any SQLBindable],
                           listed: String, rows: Int, on db: any SQLConnection,
                           stoppingAfter stop: Int) throws -> (matches: [Int64], reachedTheCap: Bool) {
        // Rows are pulled through the outer LIMIT one by one, so the walk stops with it.
        let found = try db.queryAll("""
            SELECT w.id, w.holds, w.n FROM (
                SELECT t.id, \(TitleSubstring.postgresHolds("t.subject")) AS holds, row_number() OVER (ORDER BY \(listed)) AS n
                FROM \(from) WHERE \(whereClause) ORDER BY \(listed) LIMIT ?) AS w
            WHERE w.holds OR w.n = ? LIMIT ?
            """, bindings: [value] + bindings + [rows, rows, stop + 1]) { (id: $0.int64(0), holds: $0.bool(1), n: $0.int(2)) }
        return (found.filter(\.holds).prefix(stop).map(\.id), found.contains { $0.n == rows })
    }

    /// The same answer as the walk above for a relation listing with no filter but the window:
    /// its first `rows` ticket ids read from the participant index alone, then the tickets among
    /// them whose title holds the text, found in one `= ANY` probe and put in listing order (a
    /// relation row carries its ticket's creation time, so the orders agree). For sparse matches,
    /// where the walk reads all its rows: 50 against 105 ms for 14,938 rows with no match at 1M
    /// tickets, the walk's lookup per row being the difference.
    func probeRelationListing(_ value: String, participants: String, relation: String, window: (from: Int64?, to: Int64?),
                              userID: Int64, direction: String, rows: Int, stoppingAfter stop: Int,
                              on db: any SQLConnection) throws -> (matches: [Int64], reachedTheCap: Bool) {
        var listing = "p.tenant_id = ? AND p.user_id = ? AND p.in_workflow = 1 AND \(relation)"
        var bindings: [any SQLBindable] = [scope.tenantKey, userID]
        if let from = window.from { listing += " AND p.ticket_created_at >= ?"; bindings.append(from) }
        if let to = window.to { listing += " AND p.ticket_created_at <= ?"; bindings.append(to) }
        // kind 1 is the listing's size, kind 0 the matches in its order.
        let found = try db.queryAll("""
            WITH listed AS MATERIALIZED (
                SELECT p.ticket_id FROM \(participants) WHERE \(listing)
                ORDER BY p.ticket_created_at \(direction), p.ticket_id \(direction) LIMIT ?)
            SELECT r.kind, r.id FROM (
                (SELECT 0 AS kind, t.id, t.created_at AS at FROM tickets t
                 WHERE t.tenant_id = ? AND t.id = ANY (ARRAY(SELECT ticket_id FROM listed))
                   AND t.workflow_version_id IS NOT NULL AND \(TitleSubstring.postgresHolds("t.subject"))
                 ORDER BY t.created_at \(direction), t.id \(direction) LIMIT ?)
                UNION ALL
                (SELECT 1, count(*), 0 FROM listed)) AS r
            ORDER BY r.kind, r.at \(direction), r.id \(direction)
            """, bindings: bindings + [rows, scope.tenantKey, value, stop]) { (kind: $0.int(0), id: $0.int64(1)) }
        let size = found.last { $0.kind == 1 }?.id ?? 0
        return (found.filter { $0.kind == 0 }.map(\.id), size >= Int64(rows))
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
