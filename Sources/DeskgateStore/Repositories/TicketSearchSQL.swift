/// Builds the SELECT behind `TicketRepository.find`: values are always bound, never spliced.
struct TicketSearchSQL {
    private var from = "tickets t"
    private var drivingBindings: [any SQLBindable] = []
    private var conditions = ["t.tenant_id = ?"]
    private var conditionBindings: [any SQLBindable]
    /// Word and tag checks, kept apart so a window can bound how many rows they probe.
    private var probes: [String] = []
    private var probeBindings: [any SQLBindable] = []
    private var limit = 20
    private(set) var hasDrivingSet = false
    /// When set, probes look at no more than this many newest rows that pass the other filters.
    var window: Int?

    init(tenantID: Int64) {
        conditionBindings = [tenantID]
    }

    var sql: String {
        let order = "ORDER BY t.updated_at DESC, t.id DESC LIMIT ?"
        guard window != nil else {
            return "SELECT \(Self.ticketColumns) FROM \(from) WHERE \((conditions + probes).joined(separator: " AND ")) \(order)"
        }
        return "SELECT \(Self.ticketColumns) FROM (SELECT t.* FROM \(from) WHERE \(conditions.joined(separator: " AND ")) \(order)) AS t "
            + "WHERE \(probes.isEmpty ? "1" : probes.joined(separator: " AND ")) \(order)"
    }

    var bindings: [any SQLBindable] {
        if let window { return drivingBindings + conditionBindings + [window] + probeBindings + [limit] }
        return drivingBindings + conditionBindings + probeBindings + [limit]
    }

    /// Counts the rows the window would probe (at most `window`): fewer means the window saw
    /// every candidate, so a short page is the complete answer.
    var windowCountSQL: String {
        "SELECT count(*) FROM (SELECT 1 FROM \(from) WHERE \(conditions.joined(separator: " AND ")) LIMIT ?)"
    }

    var windowCountBindings: [any SQLBindable] { drivingBindings + conditionBindings + [window ?? 0] }

    var hasProbes: Bool { !probes.isEmpty }

    // MARK: driving sets (CROSS JOIN pins the join order: the small set is the outer loop)

    mutating func driveByWord(_ word: String) {
        from = """
            (SELECT rowid AS ticket_id FROM ticket_subject_search WHERE ticket_subject_search MATCH ?
             UNION
             SELECT m.ticket_id FROM message_body_search CROSS JOIN messages m ON m.id = message_body_search.rowid
             WHERE message_body_search MATCH ?) AS driving CROSS JOIN tickets t ON t.id = driving.ticket_id
            """
        drivingBindings = [word, word]
        hasDrivingSet = true
    }

    mutating func driveByTag(_ tagID: Int64) {
        from = """
            (SELECT ticket_id FROM ticket_tags WHERE tenant_id = ? AND tag_id = ?) AS driving
            CROSS JOIN tickets t ON t.id = driving.ticket_id
            """
        drivingBindings = [conditionBindings[0], tagID]
        hasDrivingSet = true
    }

    // MARK: per-row checks

    /// Correlated rowid probes: FTS5 seeks the word's doclist to this ticket (or message) only.
    mutating func requireWord(_ word: String) {
        probe("""
            (EXISTS (SELECT 1 FROM ticket_subject_search s WHERE s.subject MATCH ? AND s.rowid = t.id)
             OR EXISTS (SELECT 1 FROM messages m CROSS JOIN message_body_search b ON b.rowid = m.id
                        WHERE m.tenant_id = t.tenant_id AND m.ticket_id = t.id AND b.body MATCH ?))
            """, word, word)
    }

    mutating func requireTag(_ tagID: Int64) {
        probe("EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.tenant_id = t.tenant_id AND tt.ticket_id = t.id AND tt.tag_id = ?)",
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
            add("t.updated_at >= ?", time)
        }
        if let time = filter.createdBefore { add("t.created_at < ?", time) }
        if let time = filter.updatedAfter { add("t.updated_at >= ?", time) }
        if let time = filter.updatedBefore { add("t.updated_at < ?", time) }
        if let position = filter.after {
            add("(t.updated_at, t.id) < (?, ?)", position.updatedAt, position.id)
        }
        limit = filter.limit
    }

    private mutating func probe(_ condition: String, _ values: any SQLBindable...) {
        probes.append(condition)
        probeBindings += values
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
