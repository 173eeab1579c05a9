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
}

extension TitleSubstring {
    /// PostgreSQL: true when the title in `column` holds the text bound at `?`: `lower(…) LIKE`
    /// with the collation the trigram index of migration 13 is built with.
    static func postgresHolds(_ column: String) -> String {
        "lower(\(column) COLLATE \"und-x-icu\") LIKE lower(? COLLATE \"und-x-icu\") ESCAPE '\\'"
    }
}
