import DeskgateSQL
import DeskgateModel
/// Builds the SELECTs behind `TicketRepository.find`: values are always bound, never spliced.
struct TicketSearchSQL {
    /// How rows reach ORDER BY … LIMIT.
    enum Order {
        /// Walk an `(…, updated_at, id)` index in result order and stop after LIMIT rows.
        case indexOrder
        /// Let SQLite pick the most selective index and sort what it finds (the unary + keeps
        /// the ordering index out): right when matches are sparse in update order.
        case sortMatches
    }

    private let match: WordMatch
    private var from = "tickets t"
    private var drivingBindings: [any SQLBindable] = []
    private var conditions = ["t.tenant_id = ?"]
    private var conditionBindings: [any SQLBindable]
    /// Conditions on (tenant_id, updated_at, id) alone: where the scan starts and ends.
    private var rangeConditions = ["t.tenant_id = ?"]
    private var rangeBindings: [any SQLBindable]
    private var limit = 20
    private(set) var hasDrivingSet = false
    /// The oldest row a scan may reach (inclusive); bounds how many rows an index-order scan reads.
    var boundary: TicketPosition?
    var order = Order.indexOrder

    init(tenantID: RowTenant, dialect: SQLDialect) {
        match = WordMatch(dialect: dialect)
        conditionBindings = [tenantID]
        rangeBindings = [tenantID]
    }

    var sql: String {
        var all = conditions + wordChecks.map(\.sql)
        // Migration 17: no parallel plan (a worker starts later than these walks end).
        if match.dialect == .postgres { all.append("deskgate_one_process()") }
        if boundary != nil { all.append("(t.updated_at, t.id) >= (?, ?)") }
        let whereClause = all.joined(separator: " AND ")
        guard order == .sortMatches else {
            return "SELECT \(Self.ticketColumns) FROM \(from) WHERE \(whereClause) ORDER BY t.updated_at DESC, t.id DESC LIMIT ?"
        }
        // Sort ids only: when an index covers the filters, finding and ranking matches never
        // reads a table row; the page's rows are fetched afterwards.
        return "SELECT \(Self.ticketColumns) FROM tickets t WHERE t.id IN (SELECT t.id FROM \(from) WHERE \(whereClause) "
            + "ORDER BY +t.updated_at DESC, t.id DESC LIMIT ?) ORDER BY t.updated_at DESC, t.id DESC"
    }

    var bindings: [any SQLBindable] {
        let bound: [any SQLBindable] = boundary.map { [$0.updatedAt, $0.id] } ?? []
        return drivingBindings + conditionBindings + wordChecks.flatMap(\.bindings) + bound + [limit]
    }

    /// The `window`-th newest row of the scanned range, ignoring every other filter: a pure walk
    /// of `tickets_by_updated`. Nil when the range holds fewer rows.
    var boundarySQL: String {
        // Pinned: the planner may otherwise prefer a narrower covering index and sort the tenant.
        "SELECT t.updated_at, t.id FROM tickets t\(match.dialect.indexedBy("tickets_by_updated")) WHERE \(rangeConditions.joined(separator: " AND ")) "
            + "ORDER BY t.updated_at DESC, t.id DESC LIMIT 1 OFFSET ?"
    }

    func boundaryBindings(window: Int) -> [any SQLBindable] { rangeBindings + [window - 1] }

    /// The lowest and highest ticket id among the `window` newest rows of the scanned range: the
    /// rows a walk bounded by `boundarySQL` reads, so matches read for that walk need no ticket
    /// id outside them (`TicketWords.matchingSet(within:)`). NULLs when the range is empty.
    var idSpanSQL: String {
        "SELECT min(w.id), max(w.id) FROM (SELECT t.id AS id FROM tickets t\(match.dialect.indexedBy("tickets_by_updated")) "
            + "WHERE \(rangeConditions.joined(separator: " AND ")) ORDER BY t.updated_at DESC, t.id DESC LIMIT ?) AS w"
    }

    func idSpanBindings(window: Int) -> [any SQLBindable] { rangeBindings + [window] }

    // MARK: driving sets (CROSS JOIN pins the join order: the small set is the outer loop)

    mutating func driveByWord(_ word: String) {
        from = """
            (\(match.ticketsBySubject("?"))
             UNION
             \(match.ticketsByMessage("?"))) AS driving \(match.dialect.orderedJoin) tickets t ON t.id = driving.ticket_id
            """
        drivingBindings = [match.term(word), match.term(word)]
        hasDrivingSet = true
    }

    mutating func driveByTag(_ tagID: Int64) {
        from = """
            (SELECT ticket_id FROM ticket_tags WHERE tenant_id = ? AND tag_id = ?) AS driving
            \(match.dialect.orderedJoin) tickets t ON t.id = driving.ticket_id
            """
        drivingBindings = [conditionBindings[0], tagID]
        hasDrivingSet = true
    }

    mutating func driveByDocuments(_ documents: TicketWords) {
        let set = documents.drivingSet
        from = "(\(set.sql)) AS driving \(match.dialect.orderedJoin) tickets t ON t.id = driving.ticket_id"
        drivingBindings = set.bindings
        hasDrivingSet = true
    }

    // MARK: per-row checks

    /// The ticket's document matches, however many words and messages: by a rowid probe each
    /// (`probing`) or by membership in the matches read once.
    /// `ids`, when known, holds every ticket id the statement can reach (a set read only there).
    mutating func requireDocuments(_ documents: TicketWords, probing: Bool, within ids: ClosedRange<Int64>? = nil) {
        let check = probing ? documents.probe : documents.matchingSet(within: ids)
        guard !wordChecks.isEmpty else { return add(check.sql, check.bindings) }
        // PostgreSQL: the word checks only where the document matches. As separate conditions
        // the planner tested them first, on every row walked (a phrase: each message's words
        // computed again, 0.6 s for 2,000 rows); CASE fixes the order.
        let checks = wordChecks
        wordChecks = []
        add("CASE WHEN \(check.sql) THEN \(checks.map(\.sql).joined(separator: " AND ")) ELSE false END",
            check.bindings + checks.flatMap(\.bindings))
    }

    mutating func requireWord(_ word: String) {
        guard match.dialect == .postgres else { return add(match.ticketHolds("?", "?"), match.term(word), match.term(word)) }
        wordChecks.append((match.ticketHolds("?", "?"), [match.term(word), match.term(word)]))
    }

    /// PostgreSQL's message-by-message word checks, kept apart until `requireDocuments` can put
    /// them behind its cheaper test; otherwise they join the conditions last.
    private var wordChecks: [(sql: String, bindings: [any SQLBindable])] = []

    mutating func requireTag(_ tagID: Int64) {
        add("EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.tenant_id = t.tenant_id AND tt.ticket_id = t.id AND tt.tag_id = ?)",
            tagID)
    }

    /// The unary + keeps these out of index selection: as an OR of index lookups they would
    /// yield every visible ticket unsorted, and sorting a department's worth of rows is slow.
    mutating func restrictToDepartments(_ ids: [Int64]) {
        add("+t.department_id IN (\(Self.placeholders(ids.count)))", ids)
    }

    mutating func restrictToDepartmentsOrParticipant(_ ids: [Int64], userID: Int64) {
        if ids.isEmpty {
            // Only their own tickets: few, so letting the assignee and creator indexes find them is right.
            add("(t.assignee_id = ? OR t.creator_id = ?)", userID, userID)
        } else {
            add("(+t.department_id IN (\(Self.placeholders(ids.count))) OR +t.assignee_id = ? OR +t.creator_id = ?)",
                ids + [userID, userID])
        }
    }

    /// The MCP data limit: like the department visibility rule, kept out of index selection.
    mutating func applyDataLimit(departments: [Int64], tags: [Int64]) {
        if !departments.isEmpty { add("+t.department_id IN (\(Self.placeholders(departments.count)))", departments) }
        if !tags.isEmpty {
            add("EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.tenant_id = t.tenant_id AND tt.ticket_id = t.id "
                + "AND tt.tag_id IN (\(Self.placeholders(tags.count))))", tags)
        }
    }

    mutating func apply(_ filter: TicketFilter) {
        if !filter.statuses.isEmpty {
            add("t.status IN (\(Self.placeholders(filter.statuses.count)))", filter.statuses)
        }
        if !filter.priorities.isEmpty {
            add("t.priority IN (\(Self.placeholders(filter.priorities.count)))", filter.priorities)
        }
        if let id = filter.departmentID { add("t.department_id = ?", id) }
        if filter.unassignedOnly {
            add("t.assignee_id IS NULL")
        } else if let id = filter.assigneeID {
            add("t.assignee_id = ?", id)
        }
        if let time = filter.createdAfter {
            // updated_at >= created_at always holds, so this bound also narrows the ordered index scan.
            add("t.created_at >= ?", time)
            addRange("t.updated_at >= ?", time)
        }
        if let time = filter.createdBefore { add("t.created_at < ?", time) }
        if let time = filter.updatedAfter { addRange("t.updated_at >= ?", time) }
        if let time = filter.updatedBefore { addRange("t.updated_at < ?", time) }
        if let position = filter.after {
            addRange("(t.updated_at, t.id) < (?, ?)", position.updatedAt, position.id)
        }
        limit = filter.limit
    }

    /// A condition on the scanned range: applies to the search and to its boundary walk.
    private mutating func addRange(_ condition: String, _ values: any SQLBindable...) {
        add(condition, values)
        rangeConditions.append(condition)
        rangeBindings += values
    }

    private mutating func add(_ condition: String, _ values: any SQLBindable...) {
        add(condition, values)
    }

    private mutating func add(_ condition: String, _ values: [any SQLBindable]) {
        conditions.append(condition)
        conditionBindings += values
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    private static let ticketColumns = Ticket.columns
        .split(separator: ",").map { "t." + $0.trimmingSpaces }.joined(separator: ", ")
}

private extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return s
    }
}
