public import DeskgateSQL
public import DeskgateModel
/// Filtered, permission-aware ticket search, newest-updated first with a keyset cursor.
///
/// With search words, the per-ticket documents of migration 13 (`TicketWords`) answer "which
/// tickets hold all these words and match these filters" (on PostgreSQL since migration 17) in
/// one index lookup, whatever the words and however long the threads. How many tickets match
/// decides the plan:
/// - Few (`drivingSetLimit`, on PostgreSQL `postgresDrivingSetLimit`): those tickets are
///   fetched and sorted.
/// - Many: SQLite walks an `(…, updated_at, id)` index of migration 2 in result order: first
///   the newest `denseWindow` rows, probing each ticket's document by rowid (dense matches fill
///   a page there; a sample of `denseSample` rows first), then the newest `probeWindow` rows
///   against the matches among their ticket ids, read once. A page filled within them is the
///   answer; otherwise the matching set drives after all (PostgreSQL has no set to check
///   against: its one walk probes each of the `probeWindow` rows). A creation window of few
///   tickets is sorted on its own first. A prefix of few words is searched as those words
///   (`expandingPrefixes`); a prefix of more on SQLite takes the walk against the matches
///   first, before counting them.
/// Without words, a tag matching few tickets drives; otherwise the same ordered walk over the
/// filters, then SQLite's most selective index and a sort. Words whose tokens are unclear
/// (`SearchWord.tokens` nil) or that are phrases are checked message by message as well.
extension TicketRepository {
    /// Above this many matching rows a word or tag is cheaper to check per row than to sort.
    static let drivingSetLimit = 20_000

    public func find(_ filter: TicketFilter, on db: any SQLConnection) throws -> [TicketMatch] {
        try find(filter, drivingSetLimit: Self.drivingSetLimit, probeWindow: Self.probeWindow, on: db)
    }

    /// The thresholds are parameters so tests can force each plan and compare the answers.
    func find(_ filter: TicketFilter, drivingSetLimit: Int, probeWindow: Int, on db: any SQLConnection) throws -> [TicketMatch] {
        let text = filter.text ?? ""
        var words = Self.searchWords(text)
        if case .departments(let ids) = filter.visibility, ids.isEmpty { return [] }
        // Text with nothing to look for (quotes only), or a word without a letter or digit, finds nothing.
        if words.isEmpty, text.unicodeScalars.contains(where: { !$0.properties.isWhitespace && $0.value >= 0x20 && $0.value != 0x7F }) {
            return []
        }
        if words.contains(where: { $0.tokens?.isEmpty == true }) { return [] }
        if words.contains(where: \.isPrefix) {
            guard let expanded = try expandingPrefixes(words, on: db) else { return [] }
            words = expanded
        }

        let tickets: [Ticket]
        if let documents = TicketWords(words: words, filter: filter, tenant: scope.tenantKey, dialect: db.dialect) {
            tickets = try find(filter, words: words, documents: documents, drivingSetLimit: drivingSetLimit,
                               probeWindow: probeWindow, on: db)
        } else {
            tickets = try findByWords(filter, words: words, drivingSetLimit: drivingSetLimit, probeWindow: probeWindow, on: db)
        }
        guard !words.isEmpty else { return tickets.map { TicketMatch(ticket: $0, snippet: nil) } }
        let anyWord = WordMatch(dialect: db.dialect).anyTerm(words)
        let snippets = try snippets(ticketIDs: tickets.map(\.id), query: anyWord, on: db)
        return tickets.map { TicketMatch(ticket: $0, snippet: snippets[$0.id]) }
    }

    /// The plan through the per-ticket documents (see the type's comment).
    private func find(_ filter: TicketFilter, words: [SearchWord], documents: TicketWords, drivingSetLimit: Int,
                      probeWindow: Int, on db: any SQLConnection) throws -> [Ticket] {
        let exact = words.filter(\.needsExactCheck)
        // The tagged tickets, each checked against the matches.
        func tagged(_ tagID: Int64) throws -> [Ticket] {
            var tagged = query(filter, words: exact, drivenBy: .tag(tagID), on: db)
            tagged.requireDocuments(documents, probing: false)
            return try run(tagged, on: db)
        }
        // The rows of the filters found by the most selective index and sorted, each checked
        // against the matches (among ticket ids `ids` when known).
        func sortedMatches(within ids: ClosedRange<Int64>? = nil) throws -> [Ticket] {
            var sorted = query(filter, words: exact, drivenBy: nil, on: db)
            sorted.requireDocuments(documents, probing: false, within: ids)
            sorted.order = .sortMatches
            return try run(sorted, on: db)
        }
        // The newest `rows` rows of `filter`'s range, each probed.
        func probedWalk(_ filter: TicketFilter, rows: Int) throws -> (page: [Ticket], boundary: TicketPosition?) {
            var walk = query(filter, words: exact, drivenBy: nil, on: db)
            walk.requireDocuments(documents, probing: true)
            walk.boundary = try boundary(of: walk, window: rows, on: db)
            return (try run(walk, on: db), walk.boundary)
        }
        // The newest rows, each probed: a page filled there is the answer whatever the count.
        // SQLite probes a sample first and goes on only where a tenth of it matched (half the
        // rate that fills a page within `denseWindow` rows, as the newest rows vary): a probe
        // costs ~23 µs a token, and a word in 3% of the tickets filled no page in 100 rows but
        // paid 5–10 ms to learn it.
        func denseWalk() throws -> (page: [Ticket], complete: Bool) {
            let window = min(db.dialect == .postgres ? Self.postgresDenseWindow : Self.denseWindow, probeWindow)
            let sample = db.dialect == .sqlite ? min(Self.denseSample, window) : window
            let first = try probedWalk(filter, rows: sample)
            guard let boundary = first.boundary, first.page.count < filter.limit else { return (first.page, true) }
            guard sample < window, 2 * first.page.count * window >= filter.limit * sample else { return (first.page, false) }
            var rest = filter
            rest.after = boundary
            rest.limit = filter.limit - first.page.count
            let more = try probedWalk(rest, rows: window - sample)
            return (first.page + more.page, more.boundary == nil || more.page.count == rest.limit)
        }
        // The newest `probeWindow` rows, checked against the matches read once (SQLite: only
        // those among the ids of the rows walked; on PostgreSQL `matchingSet` is the probe again).
        func orderedWalk() throws -> [Ticket]? {
            var ordered = query(filter, words: exact, drivenBy: nil, on: db)
            let span = db.dialect == .sqlite ? try idSpan(of: ordered, window: probeWindow, on: db) : nil
            ordered.requireDocuments(documents, probing: false, within: span)
            ordered.boundary = try boundary(of: ordered, window: probeWindow, on: db)
            let page = try run(ordered, on: db)
            return ordered.boundary == nil || page.count == filter.limit ? page : nil
        }
        // PostgreSQL walks first: a GIN lookup reads every match of each of its lexemes into a
        // bitmap before the first row, whatever the cap (`thanks`, in 383,000 tickets: 70 ms; two
        // words in 33,000: 12 ms), while a page of such words is a few hundred rows down.
        var walked = false
        if db.dialect == .postgres {
            let dense = try denseWalk()
            if dense.complete { return dense.page }
            // Enough matches there to expect a page within `probeWindow` rows: a common word,
            // which the walk finds sooner than a count could read its matches. Fewer: a rare one
            // (or one whose few matches are recent), which the count finds at once.
            if dense.page.count * probeWindow >= filter.limit * Self.postgresDenseWindow {
                walked = true
                if let page = try orderedWalk() { return page }
            }
            // A tag or a creation window of few tickets: those, each probed and sorted, cost less
            // than a count of common words (`thanks` before a date: 1,138 tickets against 70 ms).
            let window = Self.postgresFilterWindow
            if let tagID = filter.tagID, try taggedCount(tagID, cap: window + 1, on: db) <= window {
                return try tagged(tagID)
            }
            if let created = try createdWindow(filter, cap: window + 1, on: db), created.count <= window {
                return try sortedMatches()
            }
        }
        // On SQLite a prefix expands to every word it starts each time it is evaluated (about
        // 10 ms for a common one at a million tickets): the walk against the matches comes
        // first, so the usual answer costs one expansion instead of a count and then the walk.
        let walkFirst = documents.hasPrefix && db.dialect == .sqlite && filter.tagID == nil
        if walkFirst, let page = try orderedWalk() {
            return page
        }
        // PostgreSQL reads and rechecks each match's heap row to count it (about 3 µs each:
        // 60 ms for 20,000) and again to drive by them, while its walk stops at a full page: it
        // counts to a lower cap, and beyond it walks on (`orderedWalk`, a probe a row).
        let driveUpTo = db.dialect == .postgres ? min(drivingSetLimit, Self.postgresDrivingSetLimit) : drivingSetLimit
        let matching = try documents.count(cap: driveUpTo + 1, on: db)
        if matching == 0 { return [] }
        if matching <= driveUpTo {
            return try run(query(filter, words: exact, drivenBy: .documents(documents), on: db), on: db)
        }
        if let tagID = filter.tagID, try taggedCount(tagID, cap: drivingSetLimit + 1, on: db) <= drivingSetLimit {
            return try tagged(tagID)
        }
        // A creation window of few tickets (SQLite): those, sorted, checked against the matches
        // among their ids (`thanks` created before a date: 969 tickets, 3 ms against 47 ms for
        // the walks below, which find nothing in update order).
        if db.dialect == .sqlite, let window = try createdWindow(filter, cap: probeWindow * 10 + 1, on: db),
           window.count <= probeWindow * 10 {
            guard let ids = window.ids else { return [] }
            return try sortedMatches(within: ids)
        }
        // Dense matches fill a page within a few rows, each probed (tens of µs); a prefix
        // would expand again for every probe, so it skips this.
        if !documents.hasPrefix, db.dialect == .sqlite {
            let dense = try denseWalk()
            if dense.complete { return dense.page }
        }
        // Otherwise the matches are read once and the walk checks membership.
        if !walkFirst, !walked, let page = try orderedWalk() { return page }
        // Sparse in update order: a creation window or a tag has an index of its own, which
        // reads fewer rows than the (many) matches would; otherwise the matches drive.
        if filter.createdAfter != nil || filter.createdBefore != nil || filter.tagID != nil {
            return try sortedMatches()
        }
        return try run(query(filter, words: exact, drivenBy: .documents(documents), on: db), on: db)
    }

    /// The plan when no word has tokens the documents can look up: each word's own matches.
    private func findByWords(_ filter: TicketFilter, words: [SearchWord], drivingSetLimit: Int, probeWindow: Int,
                             on db: any SQLConnection) throws -> [Ticket] {
        // The rarest word, or failing that the tag, is the candidate driving set.
        var rarest: (word: SearchWord, count: Int)?
        for word in words {
            let count = try matchCount(word.text, cap: drivingSetLimit + 1, on: db)
            if count == 0 { return [] }  // an AND with an empty set
            if count < rarest?.count ?? Int.max { rarest = (word, count) }
        }
        let tagCount = try filter.tagID.map { try taggedCount($0, cap: drivingSetLimit + 1, on: db) }
        if tagCount == 0 { return [] }

        if let rarest, rarest.count <= drivingSetLimit {
            return try run(query(filter, words: words, drivenBy: .word(rarest.word), on: db), on: db)
        } else if let tagID = filter.tagID, let tagCount, tagCount <= drivingSetLimit, rarest == nil {
            return try run(query(filter, words: words, drivenBy: .tag(tagID), on: db), on: db)
        }
        // Walk the newest `probeWindow` rows of the range in order. A full page, or a range
        // no longer than the window, is the answer. Otherwise matches are sparse in update
        // order: let the match set of a word or tag drive, or SQLite's most selective index.
        var ordered = query(filter, words: words, drivenBy: nil, on: db)
        // Word probes cost tens of microseconds a row; plain filters read from the index cost
        // well under one, so they may look much further before another plan is cheaper.
        let windows = words.isEmpty && filter.tagID == nil ? [probeWindow, probeWindow * 25] : [probeWindow]
        var page: [Ticket] = []
        for window in windows {
            ordered.boundary = try boundary(of: ordered, window: window, on: db)
            page = try run(ordered, on: db)
            if ordered.boundary == nil || page.count == filter.limit { break }
        }
        if ordered.boundary == nil || page.count == filter.limit {
            return page
        } else if let rarest {
            return try run(query(filter, words: words, drivenBy: .word(rarest.word), on: db), on: db)
        } else if let tagID = filter.tagID {
            return try run(query(filter, words: words, drivenBy: .tag(tagID), on: db), on: db)
        }
        var sorted = query(filter, words: words, drivenBy: nil, on: db)
        sorted.order = .sortMatches
        return try run(sorted, on: db)
    }

    /// Rows of update order walked with a probe each before the matches are read as a set:
    /// enough to fill a page where a fifth of the tickets match, a few milliseconds at most.
    static let denseWindow = 100

    /// SQLite's first rows of `denseWindow`: the walk goes on past them only where a tenth matched.
    static let denseSample = 30

    /// PostgreSQL's first walk, before any count (5–12 µs a row): a page for words in more than
    /// about 3% of the tickets, and a sample of which words are common enough to walk on (long
    /// enough that a few hundred just-updated tickets without them do not hide them).
    static let postgresDenseWindow = 600

    /// A tag or creation window of at most this many tickets is read whole on PostgreSQL (a probe each).
    static let postgresFilterWindow = 2_000

    /// PostgreSQL drives by at most this many matches (counting and fetching them costs a few
    /// ms); more take the walk, which fills a page within `probeWindow` rows for any word in
    /// more than about 1% of the tickets.
    static let postgresDrivingSetLimit = 1_000

    /// Rows of update order probed for words or a tag before a search switches to a plan driven
    /// by its filters (plain filters get 25 times as many).
    static let probeWindow = 2_000

    private enum Driver {
        case word(SearchWord)
        case tag(Int64)
        case documents(TicketWords)
    }

    /// `words` are those to check message by message (all of them unless documents decide the rest).
    private func query(_ filter: TicketFilter, words: [SearchWord], drivenBy driver: Driver?, on db: any SQLConnection) -> TicketSearchSQL {
        var query = TicketSearchSQL(tenantID: scope.tenantKey, dialect: db.dialect)
        switch driver {
        case .word(let word)?: query.driveByWord(word.text)
        case .tag(let tagID)?: query.driveByTag(tagID)
        case .documents(let documents)?: query.driveByDocuments(documents)
        case nil: break
        }
        for word in words {
            if case .word(word)? = driver { continue }
            query.requireWord(word.text)
        }
        if let tagID = filter.tagID {
            if case .tag? = driver {} else { query.requireTag(tagID) }
        }
        switch filter.visibility {
        case .all, .departments([]): break
        case .departments(let ids): query.restrictToDepartments(ids)
        case .departmentsOrParticipant(let ids, let userID): query.restrictToDepartmentsOrParticipant(ids, userID: userID)
        }
        query.applyDataLimit(departments: filter.limitDepartmentIDs, tags: filter.limitTagIDs)
        query.apply(filter)
        return query
    }

    private func run(_ query: TicketSearchSQL, on db: any SQLConnection) throws -> [Ticket] {
        try db.queryAll(query.sql, bindings: query.bindings) { try Ticket(row: $0) }
    }

    /// Matches of one word in subjects plus message bodies, each counted up to `cap` (only the
    /// plan choice depends on it; on SQLite, of all tenants: FTS5 holds none).
    private func matchCount(_ word: String, cap: Int, on db: any SQLConnection) throws -> Int {
        let match = WordMatch(dialect: db.dialect)
        let subjects = try db.queryOne("SELECT count(*) FROM (\(match.subjectHits("?1", tenant: "?3")) LIMIT ?2) AS hits",
                                       match.term(word), cap, scope.tenantKey) { $0.int(0) } ?? 0
        let bodies = try db.queryOne("SELECT count(*) FROM (\(match.bodyHits("?1", tenant: "?3")) LIMIT ?2) AS hits",
                                     match.term(word), cap, scope.tenantKey) { $0.int(0) } ?? 0
        return subjects + bodies
    }

    /// How many tickets the filter's creation window holds, counted up to `cap` (other filters
    /// left out, so an upper bound of the rows a search of it reads), and the span of their ids
    /// (nil when empty); nil without a window.
    private func createdWindow(_ filter: TicketFilter, cap: Int, on db: any SQLConnection) throws -> (count: Int, ids: ClosedRange<Int64>?)? {
        guard filter.createdAfter != nil || filter.createdBefore != nil else { return nil }
        var conditions = ["tenant_id = ?"]
        var values: [any SQLBindable] = [scope.tenantKey]
        if let time = filter.createdAfter { conditions.append("created_at >= ?"); values.append(time) }
        if let time = filter.createdBefore { conditions.append("created_at < ?"); values.append(time) }
        // Pinned: the window is a range of this index, whatever the statistics say.
        return try db.queryOne("""
            SELECT count(*), min(id), max(id) FROM (SELECT id FROM tickets\(db.dialect.indexedBy("tickets_by_created"))
            WHERE \(conditions.joined(separator: " AND ")) LIMIT ?) AS w
            """, bindings: values + [cap]) { row in
            (row.int(0), row.isNull(1) ? nil : row.int64(1)...row.int64(2))
        }
    }

    /// The `window`-th newest row of `query`'s range (`TicketSearchSQL.boundarySQL`), nil when it holds fewer.
    private func boundary(of query: TicketSearchSQL, window: Int, on db: any SQLConnection) throws -> TicketPosition? {
        try db.queryOne(query.boundarySQL, bindings: query.boundaryBindings(window: window)) {
            TicketPosition(updatedAt: $0.int64(0), id: $0.int64(1))
        }
    }

    /// The ticket ids the newest `window` rows of `query`'s range span (`TicketSearchSQL.idSpanSQL`), nil for none.
    private func idSpan(of query: TicketSearchSQL, window: Int, on db: any SQLConnection) throws -> ClosedRange<Int64>? {
        try db.queryOne(query.idSpanSQL, bindings: query.idSpanBindings(window: window)) {
            $0.isNull(0) ? nil : $0.int64(0)...$0.int64(1)
        } ?? nil
    }

    private func taggedCount(_ tagID: Int64, cap: Int, on db: any SQLConnection) throws -> Int {
        try db.queryOne("""
            SELECT count(*) FROM (SELECT 1 FROM ticket_tags WHERE tenant_id = ?1 AND tag_id = ?2 LIMIT ?3) AS tagged
            """, scope.tenantKey, tagID, cap) { $0.int(0) } ?? 0
    }

    /// A few words around the first match of each ticket, preferring a message (the subject is
    /// shown anyway). `query` is `WordMatch.anyTerm` of the search words.
    private func snippets(ticketIDs: [Int64], query: String, on db: any SQLConnection) throws -> [Int64: String] {
        guard !ticketIDs.isEmpty else { return [:] }
        let rows = try db.queryAll(WordMatch(dialect: db.dialect).pageSnippets, scope.tenantKey,
                                   ticketIDs.jsonArray, query, map: {
            (id: $0.int64(0), snippet: $0.isNull(1) ? nil : $0.string(1))
        })
        var byID: [Int64: String] = [:]
        for row in rows { if let snippet = row.snippet { byID[row.id] = snippet } }
        return byID
    }
}
