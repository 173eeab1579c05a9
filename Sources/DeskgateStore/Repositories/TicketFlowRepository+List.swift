public import DeskgateSQL
public import DeskgateModel
extension TicketFlowRepository {
    /// One page of workflow tickets matching `filter`, by creation time, and how many match in all.
    /// `totalIsLowerBound`: a title search that many titles hold counts only the matches among
    /// the rows its walk read (`TitleSubstring.walkRows`), or (SQLite) the first matches read up
    /// to a page past the page's end, not every match; `total` is then at least that.
    public func list(_ filter: WorkflowTicketFilter, limit: Int, offset: Int,
                     on db: any SQLConnection) throws -> (tickets: [Ticket], total: Int, totalIsLowerBound: Bool) {
        try list(filter, limit: limit, offset: offset, titleDrivingLimit: TitleSubstring.drivingLimit(db.dialect),
                 titleWalkRows: TitleSubstring.walkRows, on: db)
    }

    /// `titleDrivingLimit`, `titleWalkRows` and `titleLongWalkRows` are parameters so tests can
    /// force each title-search plan.
    func list(_ filter: WorkflowTicketFilter, limit: Int, offset: Int, titleDrivingLimit: Int, titleWalkRows: Int,
              titleLongWalkRows: Int = TitleSubstring.longWalkRows, on db: any SQLConnection) throws -> (tickets: [Ticket], total: Int, totalIsLowerBound: Bool) {
        // No subject holds U+0000 (PostgreSQL text cannot, and nothing writes one on SQLite):
        // such a search matches nothing, on both engines alike.
        if let search = filter.search, search.unicodeScalars.contains("\u{0}") { return ([], 0, false) }
        var bindings: [any SQLBindable] = []
        var clauses: [String] = []
        // Categories that follow the caller's relations join their participant rows: the
        // count is then driven by those rows (CROSS JOIN fixes that order), while the page
        // itself walks tickets newest first and stops at LIMIT.
        var relation: String?
        func permitted(_ permissions: String) {
            guard !filter.isTenantAdmin else { return }
            // The tenant's permission rows by their unique index: stale statistics scanned every tenant's.
            clauses.append("""
                t.workflow_version_id IN (SELECT v.id FROM workflow_versions v WHERE v.tenant_id = ? AND v.workflow_id IN (
                    SELECT w.workflow_id FROM workflow_permissions w\(db.dialect.indexedBy("sqlite_autoindex_workflow_permissions_1"))
                    WHERE w.tenant_id = ? AND w.permission IN (\(permissions))
                    AND ((w.target_type = 'user' AND w.target_id = ?)
                         OR (w.target_type = 'department' AND w.target_id IN (\(db.dialect.integers(inJSONArray: "?")))))))
                """)
            bindings += [scope.tenantKey, scope.tenantKey, filter.userID, filter.departmentIDs.jsonArray]
        }
        switch filter.category {
        case .duty: relation = "p.as_assignee = 1"
        case .relation: relation = "p.in_workflow = 1"
        case .worked: relation = "p.as_processor = 1"
        case .owner:
            clauses.append("t.creator_id = ?")
            bindings.append(filter.userID)
        case .view: permitted("'view', 'intervene', 'admin'")
        case .intervene: permitted("'intervene', 'admin'")
        case .all: break
        }
        var head: [any SQLBindable] = []
        // Access paths pinned against stale statistics (`WorkflowListPlan`).
        var plan = WorkflowListPlan(filter, dialect: db.dialect)
        func from(_ join: String) -> String { plan.from(join) }
        // The title search: through the trigram index (matches of a rare word drive the
        // walk; a common one is a set each row is checked against), or when too short for a
        // trigram, among the newest rows of the listing (`ShortTitleSearch`).
        var shortSearch: String?
        var titleMatch: (clause: String, value: String)?
        var dense = false
        // PostgreSQL decides whether the title is common only after a first walk of the listing
        // (`undecided`, below): the index count behind that decision can cost 15 ms.
        var undecided: (text: String, value: String)?
        let title = TitleSubstring(dialect: db.dialect)
        func decide(_ text: String, _ value: String) throws {
            // Few matches drive (each looked up by id); many are a set the walk of the
            // listing's own index checks (the unary + keeps SQLite from driving by them).
            // The clause joins the others last, once the dense walk had its chance.
            dense = try titleIsCommon(text, value: value, moreThan: titleDrivingLimit, on: db)
            titleMatch = (title.holds(relation == nil ? "t.id" : "p.ticket_id", dense: dense), value)
            plan.matchesDrive = !dense
        }
        if let search = filter.search, !search.isEmpty {
            if search.unicodeScalars.count < TitleSubstring.indexedLength {
                shortSearch = search
            } else if db.dialect == .postgres {
                undecided = (search, title.value(search))
            } else {
                try decide(search, title.value(search))
            }
        }
        // The caller's relation rows (tenant and user bound first), in the listing and in
        // `relationListing`; spelled again if PostgreSQL decides late that the matches drive.
        func relationRows() -> String? {
            relation.map { "p.tenant_id = ? AND \(plan.participantUser) = ? AND p.in_workflow = 1 AND \($0)" }
        }
        var relationRowsClause = relationRows()
        if let relationRowsClause {
            clauses.insert(relationRowsClause, at: 0)
            head = [scope.tenantKey, filter.userID]
        }
        clauses.insert(contentsOf: ["t.tenant_id = ?", "t.workflow_version_id IS NOT NULL"], at: relation == nil ? 0 : 1)
        bindings = (relation == nil ? [scope.tenantKey] : head + [scope.tenantKey]) + bindings
        if let from = filter.createdFrom { clauses.append("t.created_at >= ?"); bindings.append(from) }
        if let to = filter.createdTo { clauses.append("t.created_at <= ?"); bindings.append(to) }
        if !filter.workflowIDs.isEmpty {
            clauses.append("t.workflow_version_id IN (SELECT v.id FROM workflow_versions v WHERE v.tenant_id = ? "
                + "AND v.workflow_id IN (\(db.dialect.integers(inJSONArray: "?"))))")
            bindings += [scope.tenantKey, filter.workflowIDs.jsonArray]
        }
        if !filter.nodeIDs.isEmpty {
            clauses.append("t.id IN (SELECT q.ticket_id FROM ticket_positions q WHERE q.tenant_id = ? "
                + "AND q.node_id IN (\(db.dialect.integers(inJSONArray: "?"))))")
            bindings += [scope.tenantKey, filter.nodeIDs.jsonArray]
        }
        if !filter.ticketNumbers.isEmpty {
            clauses.append("t.number IN (\(db.dialect.integers(inJSONArray: "?")))")
            bindings.append(filter.ticketNumbers.jsonArray)
        }
        if !filter.actStates.isEmpty {
            clauses.append("t.act_state IN (\(db.dialect.texts(inJSONArray: "?")))")
            bindings.append("[" + filter.actStates.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]")
        }
        if let creator = filter.creatorID { clauses.append("t.creator_id = ?"); bindings.append(creator) }
        if let parent = filter.parentTicketID { clauses.append("t.parent_ticket_id = ?"); bindings.append(parent) }
        if !filter.limitDepartmentIDs.isEmpty {
            clauses.append("t.department_id IN (\(db.dialect.integers(inJSONArray: "?")))")
            bindings.append(filter.limitDepartmentIDs.jsonArray)
        }
        if !filter.limitTagIDs.isEmpty {
            clauses.append("EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.tenant_id = t.tenant_id AND tt.ticket_id = t.id "
                + "AND tt.tag_id IN (\(db.dialect.integers(inJSONArray: "?"))))")
            bindings.append(filter.limitTagIDs.jsonArray)
        }
        let order = filter.newestFirst ? "DESC" : "ASC"
        let listed = relation == nil ? "t.created_at \(order), t.id \(order)" : "p.ticket_created_at \(order), p.ticket_id \(order)"
        // Where walks read the listing, and its conditions before the title's.
        let walkSource = walkFrom(relation != nil, db.dialect) ?? from(db.dialect.orderedJoin)
        let untitledWhere = clauses.joined(separator: " AND ")
        var unsearched = filter
        unsearched.search = nil
        // The relation categories with no other filter than the window: their participant rows
        // alone decide (the count and the ids need no ticket row), and carry the title (migration 22).
        var relationListing: (sql: String, bindings: [any SQLBindable])?
        func listRelationRows() {
            guard let relationRowsClause, unsearched.onlyCategoryAndWindow else { return }
            var rowBindings: [any SQLBindable] = [scope.tenantKey, filter.userID]
            var window = ""
            if let from = filter.createdFrom { window += " AND p.ticket_created_at >= ?"; rowBindings.append(from) }
            if let to = filter.createdTo { window += " AND p.ticket_created_at <= ?"; rowBindings.append(to) }
            relationListing = (relationRowsClause + window, rowBindings)
        }
        listRelationRows()
        // Where the title walks read, and how each row's title is tested: a relation listing's
        // own index where the engine can test its titles exactly there, else the tickets; where
        // SQLite has no such test, each row is probed in the trigram index (`listDense`).
        func exactTitleRows(_ text: String, _ value: String) -> TitleRows? {
            if let relationListing, let test = title.rowTest(text, value: value, title: "p.ticket_title", id: "p.ticket_id") {
                return TitleRows(from: plan.participants, whereClause: relationListing.sql, bindings: relationListing.bindings,
                                 listed: listed, id: "p.ticket_id", test: test, bound: (order, "p.ticket_created_at, p.ticket_id"))
            } else if let test = title.rowTest(text, value: value, title: "t.subject", id: "t.id") {
                // The tickets' own listing index holds the title (migration 22): bounded walks
                // read nothing else. A relation listing with filters reads each row's ticket.
                return TitleRows(from: walkSource, whereClause: untitledWhere, bindings: bindings,
                                 listed: listed, id: "t.id", test: test,
                                 bound: relation == nil ? (order, "t.created_at, t.id") : nil)
            }
            return nil
        }
        // Most titles match: the listing's own first rows, each probed in the index, hold the page
        // (a page past the most rows a walk reads cannot be among them: the walk is skipped).
        // The page's end and one page more: enough to say whether another page follows. (It was
        // twice the page's end, which doubled the rows a deep page reads for nothing.)
        let walkRows = min(ShortTitleSearch.window, max(titleWalkRows, offset + 2 * limit))
        var firstRows: [(id: Int64, matches: Bool)]?
        if let undecided {
            // PostgreSQL: the listing's first rows, each title tested in its row, before asking
            // whether the text is common. A listing shorter than the walk (an agent's own
            // tickets, say) is then read whole: every match is known, the answer is exact, and
            // it is the answer either plan gives. Otherwise the rows serve the dense plan if the
            // text is common, and cost a few hundred rows' tests if it is not.
            if offset + limit <= walkRows, let rows = exactTitleRows(undecided.text, undecided.value) {
                let walked = try walkTestingTitles(rows, rows: walkRows, on: db)
                if walked.count < walkRows {
                    let ids = walked.filter(\.matches).map(\.id)
                    return try page(of: ids, offset: offset, limit: limit, lowerBound: false, on: db)
                }
                firstRows = walked
            }
            try decide(undecided.text, undecided.value)
            if !dense, relation != nil {
                // The rare plan's spelling of the relation rows (`WorkflowListPlan.participantUser`).
                relationRowsClause = relationRows()
                clauses[0] = relationRowsClause!
                listRelationRows()
            }
        }
        let titleRows = dense ? filter.search.flatMap { text in titleMatch.flatMap { exactTitleRows(text, $0.value) } } : nil
        if dense, offset + limit <= walkRows, let titleMatch {
            if let walked = try listDense(titleMatch.value, rows: titleRows, walked: firstRows, from: walkSource, where: untitledWhere,
                                          bindings: bindings, listed: listed, direction: order, rows: walkRows, limit: limit,
                                          offset: offset, on: db) {
                return walked
            }
        }
        if let titleMatch {
            clauses.append(titleMatch.clause)
            bindings.append(titleMatch.value)
        }
        let whereClause = clauses.joined(separator: " AND ")
        let relationRows: (sql: String, bindings: [any SQLBindable])? = relationListing.map { listing in
            titleMatch.map { ("FROM \(plan.participants) WHERE \(listing.sql) AND \($0.clause)", listing.bindings + [$0.value]) }
                ?? ("FROM \(plan.participants) WHERE \(listing.sql)", listing.bindings)
        }
        // The listing's matches in its order (at most `cap` of them), in one statement.
        func listingMatches(cap: Int?) throws -> [Int64] {
            let capped = cap == nil ? "" : " LIMIT ?"
            let every = relationRows.map { ("SELECT p.ticket_id \($0.sql) ORDER BY \(listed)\(capped)", $0.bindings) }
                ?? ("SELECT t.id FROM \(from(db.dialect.orderedJoin)) WHERE \(whereClause) ORDER BY \(listed)\(capped)", bindings)
            return try db.queryAll(every.0, bindings: every.1 + (cap.map { [$0] } ?? [])) { $0.int64(0) }
        }
        if dense {
            // The walk did not hold the page (matches sparse in this listing, or a page past
            // it): the listing's matches in order, up to a page past the page's end. Fewer
            // means the count is exact.
            let wanted = max(titleWalkRows, offset + 2 * limit)
            // Where each row's own title is tested (no index probe), a longer walk finds those
            // matches without materializing every match of the text, as the statement below does:
            // on PostgreSQL, and on SQLite where the listing's index holds the titles (through a
            // relation listing's tickets it would read a row per ticket, which costs more than
            // reading the matches once).
            if let titleRows, db.dialect == .postgres || titleRows.bound != nil {
                let walk = try walkTestingTitles(titleRows, rows: titleLongWalkRows, on: db, stoppingAfter: wanted + 1)
                let ids = walk.matches
                if ids.count > wanted || !walk.mayHoldMore {
                    return try page(of: ids, offset: offset, limit: limit, lowerBound: ids.count > wanted, on: db)
                }
            }
            // Otherwise one statement reads the matches once and checks the listing's rows against them.
            let ids = try listingMatches(cap: wanted + 1)
            return try page(of: ids, offset: offset, limit: limit, lowerBound: ids.count > wanted, on: db)
        }
        if titleMatch != nil, db.dialect == .postgres {
            // A rare title on PostgreSQL: the listing's matches (no more than the text's) in one
            // statement, counted and cut to the page here. As a count and a page, each statement
            // built the array of every match and looked each up again: 36 against 18 ms for 5,000.
            let ids = try listingMatches(cap: nil)
            return try page(of: ids, offset: offset, limit: limit, lowerBound: false, on: db)
        }
        if let shortSearch {
            // A relation's rows carry the ticket's creation time: their index yields the newest
            // first; where they alone decide, it also holds the titles (no ticket is read).
            let newest = relation == nil ? "t.created_at DESC, t.id DESC" : "p.ticket_created_at DESC, p.ticket_id DESC"
            let short = if let relationListing {
                try listShortSearch(shortSearch, from: plan.participants, where: relationListing.sql, bindings: relationListing.bindings,
                                    id: "p.ticket_id", title: "p.ticket_title", newest: newest, order: order,
                                    limit: limit, offset: offset, on: db)
            } else {
                try listShortSearch(shortSearch, from: walkSource, where: whereClause, bindings: bindings, id: "t.id",
                                    title: "t.subject", newest: newest, order: order, limit: limit, offset: offset, on: db)
            }
            return (short.tickets, short.total, false)
        }
        let total: Int
        if let relationRows {
            // The common call (a category, the default window, perhaps a title search): counted
            // from the relation index alone.
            total = try db.queryOne("SELECT count(*) \(relationRows.sql)", bindings: relationRows.bindings) { $0.int(0) } ?? 0
        } else if filter.listsEveryWorkflowTicket, filter.onlyCategoryAndWindow {
            // An admin's whole tenant: summed from the per-bucket counts, not counted ticket by ticket.
            total = try WorkflowTicketCount.total(tenantID: scope.tenantKey, from: filter.createdFrom, to: filter.createdTo, on: db)
        } else {
            total = try db.queryOne("SELECT count(*) FROM \(from(db.dialect.orderedJoin)) WHERE \(whereClause)", bindings: bindings) { $0.int(0) } ?? 0
        }
        let tickets = try db.queryAll("""
            SELECT \(Ticket.columns(prefix: "t.")) FROM \(from("JOIN")) WHERE \(whereClause)
            ORDER BY \(plan.order(order)) LIMIT ? OFFSET ?
            """, bindings: bindings + [limit, offset]) { try Ticket(row: $0) }
        return (tickets, total, false)
    }

    /// A title search most tickets match: the first `rows` rows of the listing, in its
    /// order, each probed in the trigram index by rowid (PostgreSQL: `walkTestingTitles`); no set of every match is built. They
    /// hold the page when enough match; the count is exact when they are the whole listing, else
    /// a lower bound. Nil when the page lies further: the caller's plan serves it.
    /// `firstRows`: that walk of `titleRows`, when it was read already.
    private func listDense(_ value: String, rows titleRows: TitleRows?, walked firstRows: [(id: Int64, matches: Bool)]?, from: String,
                           where whereClause: String, bindings: [any SQLBindable], listed: String, direction: String, rows: Int,
                           limit: Int, offset: Int, on db: any SQLConnection) throws -> (tickets: [Ticket], total: Int, totalIsLowerBound: Bool)? {
        let walked: [(id: Int64, matches: Bool)]
        if let firstRows {
            walked = firstRows
        } else if let titleRows {
            walked = try walkTestingTitles(titleRows, rows: rows, on: db)
        } else {
            func stretch(_ count: Int, after skipped: Int) throws -> [(id: Int64, matches: Bool)] {
                try db.queryAll("""
                    SELECT w.id, EXISTS (SELECT 1 FROM workflow_subject_trigrams s WHERE s.workflow_subject_trigrams MATCH ? AND s.rowid = w.id)
                    FROM (SELECT t.id AS id, t.created_at AS at FROM \(from) WHERE \(whereClause) ORDER BY \(listed) LIMIT ? OFFSET ?) AS w
                    ORDER BY w.at \(direction), w.id \(direction)
                    """, bindings: [value] + bindings + [count, skipped]) { (id: $0.int64(0), matches: $0.int(1) != 0) }
            }
            // The first rows probed without a single match: the matches are sparse in this
            // listing, and reading them once (the caller's plan) costs less than probing on.
            let first = try stretch(min(rows, TitleSubstring.sparseProbeRows), after: 0)
            let more = rows > first.count && first.count == TitleSubstring.sparseProbeRows
            if more, !first.contains(where: \.matches) { return nil }
            walked = more ? first + (try stretch(rows - first.count, after: first.count)) : first
        }
        let ids = walked.filter(\.matches).map(\.id)
        let whole = walked.count < rows
        guard whole || ids.count >= offset + limit else { return nil }
        return try page(of: ids, offset: offset, limit: limit, lowerBound: !whole, on: db)
    }

    /// The page `offset..<offset + limit` of the listing's matches `ids` (in listing order), their
    /// count as the total, and whether more may match than were read.
    private func page(of ids: some Collection<Int64>, offset: Int, limit: Int, lowerBound: Bool,
                      on db: any SQLConnection) throws -> (tickets: [Ticket], total: Int, totalIsLowerBound: Bool) {
        (try tickets(ids: Array(ids.dropFirst(offset).prefix(limit)), on: db), ids.count, lowerBound)
    }

    /// The tickets of `ids`, in that order.
    private func tickets(ids: [Int64], on db: any SQLConnection) throws -> [Ticket] {
        guard !ids.isEmpty else { return [] }
        let rows = try db.queryAll("""
            SELECT \(Ticket.columns) FROM tickets WHERE tenant_id = ? AND \(db.dialect.isMember("id", ofJSONArray: "?"))
            """, bindings: [scope.tenantKey, ids.jsonArray]) { try Ticket(row: $0) }
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        return ids.compactMap { byID[$0] }
    }

    /// `ShortTitleSearch`: the newest rows of the listing, their titles tested here, then the
    /// page's tickets read by id in listing order.
    private func listShortSearch(_ text: String, from: String, where whereClause: String, bindings: [any SQLBindable],
                                 id: String, title: String, newest order: String, order direction: String, limit: Int, offset: Int,
                                 on db: any SQLConnection) throws -> (tickets: [Ticket], total: Int) {
        let newest = try db.queryAll("""
            SELECT \(id), \(title) FROM \(from) WHERE \(whereClause) ORDER BY \(order) LIMIT ?
            """, bindings: bindings + [ShortTitleSearch.window]) { (id: $0.int64(0), subject: $0.string(1)) }
        let matcher = ShortTitleSearch.Matcher(text)
        var ids = newest.filter { matcher.matches($0.subject) }.map(\.id)
        if direction == "ASC" { ids.reverse() }
        let page = Array(ids.dropFirst(offset).prefix(limit))
        return (try tickets(ids: page, on: db), ids.count)
    }
}
