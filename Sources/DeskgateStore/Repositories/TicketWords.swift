import DeskgateSQL
import DeskgateModel

/// A search against migration 13's per-ticket documents (`Schema13TicketWords`): every word
/// of the search that has clear tokens, each as the AND of its tokens (a prefix word as a
/// prefix), and the filters that are document tokens too (migration 13 on SQLite, 16 on
/// PostgreSQL), in one match.
/// - SQLite: one FTS5 expression bound as one value against `ticket_words` (rowid = ticket).
/// - PostgreSQL: a tsquery built from bound words and filter lexemes against `ticket_words.words`.
/// A ticket matching it holds every such word somewhere; words that need it are checked
/// again message by message (`SearchWord.needsExactCheck`).
struct TicketWords {
    let dialect: SQLDialect
    /// The match: SQLite's FTS5 expression, or PostgreSQL's tsquery expression (SQL with `?`).
    private let expression: String
    private let values: [any SQLBindable]
    private let tenant: RowTenant

    /// Nil when no word has tokens to look up (then only the exact checks can decide).
    init?(words: [SearchWord], filter: TicketFilter, tenant: RowTenant, dialect: SQLDialect) {
        self.dialect = dialect
        self.tenant = tenant
        let indexed = words.filter { ($0.tokens?.isEmpty == false) }
        guard !indexed.isEmpty else { return nil }
        hasPrefix = indexed.contains { $0.isPrefix && $0.expansion == nil }
        switch dialect {
        case .sqlite:
            var parts: [String] = []
            for word in indexed {
                let tokens = word.tokens ?? []
                if let words = word.expansion {
                    parts.append(Self.anyOf(words.map(Self.quoted), or: " OR "))
                } else {
                    parts += word.isPrefix ? [Self.quoted(tokens[0]) + " *"] : tokens.map(Self.quoted)
                }
            }
            parts += Self.attributes(filter).map { Self.anyOf($0.map(Self.token), or: " OR ") }
            expression = parts.joined(separator: " AND ")
            values = [expression]
        case .postgres:
            var parts = indexed.map { $0.isPrefix ? "to_tsquery('deskgate_search', ?)" : "deskgate_search_all(?)" }
            var bound: [any SQLBindable] = indexed.map { $0.isPrefix ? ($0.tokens?[0] ?? "") + ":*" : $0.text }
            // Migration 17's private lexemes: the filters in the same GIN lookup as the words.
            let attributes = Self.attributes(filter).map { Self.anyOf($0.map(Self.lexeme), or: " | ") }
            if !attributes.isEmpty {
                parts.append("CAST(? AS tsquery)")
                bound.append(attributes.joined(separator: " & "))
            }
            expression = parts.joined(separator: " && ")
            values = bound
        }
    }

    /// Rows `ticket_id`: the tenant's tickets matching (every tenant's on SQLite: the join
    /// back to `tickets` keeps ours).
    var drivingSet: (sql: String, bindings: [any SQLBindable]) {
        switch dialect {
        case .sqlite: ("SELECT rowid AS ticket_id FROM ticket_words WHERE ticket_words MATCH ?", values)
        // Through migration 15's function: behind row-level security `@@` could not use the index.
        case .postgres: ("SELECT m.ticket_id FROM deskgate_word_matches(?, \(expression), NULL) AS m(ticket_id)", [tenant] + values)
        }
    }

    /// Prefix words expand to every word they start: SQLite repeats that for each rowid probe,
    /// so a search with one reads its matches once (`matchingSet`) instead of probing. A prefix
    /// searched as its words (`SearchWord.expansion`) does not count.
    let hasPrefix: Bool

    /// True when ticket row `t` matches: one rowid probe into the index (tens of µs on SQLite).
    var probe: (sql: String, bindings: [any SQLBindable]) {
        switch dialect {
        case .sqlite: ("EXISTS (SELECT 1 FROM ticket_words WHERE ticket_words MATCH ? AND rowid = t.id)", values)
        case .postgres:
            ("EXISTS (SELECT 1 FROM ticket_words w WHERE w.tenant_id = t.tenant_id AND w.ticket_id = t.id AND w.words @@ (\(expression)))", values)
        }
    }

    /// True when ticket row `t` is among the matches, which SQLite reads once per statement
    /// into a temporary index (about 0.1 µs a match): cheaper than probing unless most rows match.
    var matchingSet: (sql: String, bindings: [any SQLBindable]) {
        switch dialect {
        // The unary + keeps SQLite from driving by the matches (a lookup and a sort each: 75 ms
        // for 33,000 of them): the walk of the ordered index checks membership instead (6 ms).
        case .sqlite: ("+t.id IN (SELECT rowid FROM ticket_words WHERE ticket_words MATCH ?)", values)
        case .postgres: probe
        }
    }

    /// `matchingSet` with the matches read only among ticket ids `ids` (SQLite): FTS5 seeks to
    /// that rowid range, so the set costs the matches there, not every match of the index (a
    /// walk over the 2,000 most recently updated tickets spans a few percent of a million ids).
    func matchingSet(within ids: ClosedRange<Int64>?) -> (sql: String, bindings: [any SQLBindable]) {
        guard dialect == .sqlite, let ids else { return matchingSet }
        return ("+t.id IN (SELECT rowid FROM ticket_words WHERE ticket_words MATCH ? AND rowid BETWEEN ? AND ?)",
                values + [ids.lowerBound, ids.upperBound])
    }

    /// How many tickets match, counted up to `cap` (only the plan depends on it).
    func count(cap: Int, on db: any SQLConnection) throws -> Int {
        let set = drivingSet
        let sql = switch dialect {
        case .sqlite: "SELECT count(*) FROM (\(set.sql) LIMIT ?) AS hits"
        case .postgres: "SELECT count(*) FROM deskgate_word_matches(?, \(expression), ?)"   // capped inside
        }
        return try db.queryOne(sql, bindings: set.bindings + [cap]) { $0.int(0) } ?? 0
    }

    private static func quoted(_ token: String) -> String { "\"" + token + "\"" }

    /// One term as itself, several as a parenthesized alternation (`or`: the query syntax's OR).
    private static func anyOf(_ terms: [String], or: String) -> String {
        terms.count == 1 ? terms[0] : "(" + terms.joined(separator: or) + ")"
    }

    /// One filter value: a kind letter (s, p, d, a, c) and the value, as the documents hold it.
    private typealias Attribute = (kind: Character, value: String)

    /// SQLite's private token (`Schema13TicketWords.attributes`): U+E000, kind, U+E000, value.
    private static func token(_ attribute: Attribute) -> String {
        quoted("\u{E000}\(attribute.kind)\u{E000}\(attribute.value)")
    }

    /// PostgreSQL's private lexeme (`PostgresSchema17`) as a quoted tsquery operand. Values are
    /// ids and enum names; a quote would be doubled, as tsquery's input expects.
    private static func lexeme(_ attribute: Attribute) -> String {
        "'\(attribute.kind):" + attribute.value.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }

    /// The filters the documents hold, as an AND of ORs of filter values: what every matching
    /// ticket must satisfy anyway, so both engines' documents decide them with the words.
    private static func attributes(_ filter: TicketFilter) -> [[Attribute]] {
        var all: [[Attribute]] = []
        if !filter.statuses.isEmpty { all.append(filter.statuses.map { ("s", $0.rawValue) }) }
        if !filter.priorities.isEmpty { all.append(filter.priorities.map { ("p", $0.rawValue) }) }
        if let id = filter.departmentID { all.append([("d", String(id))]) }
        if filter.unassignedOnly {
            all.append([("a", "none")])
        } else if let id = filter.assigneeID {
            all.append([("a", String(id))])
        }
        switch filter.visibility {
        case .all, .departments([]): break
        case .departments(let ids): all.append(ids.map { ("d", String($0)) })
        case .departmentsOrParticipant(let ids, let userID):
            all.append(ids.map { ("d", String($0)) } + [("a", String(userID)), ("c", String(userID))])
        }
        if !filter.limitDepartmentIDs.isEmpty { all.append(filter.limitDepartmentIDs.map { ("d", String($0)) }) }
        return all
    }
}
