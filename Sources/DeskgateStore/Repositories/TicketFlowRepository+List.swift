public import DeskgateSQL
public import DeskgateModel
extension TicketFlowRepository {
    /// One page of workflow tickets matching `filter`, by creation time, and how many match in all.
    public func list(_ filter: WorkflowTicketFilter, limit: Int, offset: Int, on db: any SQLConnection) throws -> (tickets: [Ticket], total: Int) {
        try list(filter, limit: limit, offset: offset, titleDrivingLimit: TitleSubstring.drivingLimit, on: db)
    }

    /// `titleDrivingLimit` is a parameter so tests can force either title-search plan.
    func list(_ filter: WorkflowTicketFilter, limit: Int, offset: Int, titleDrivingLimit: Int,
              on db: any SQLConnection) throws -> (tickets: [Ticket], total: Int) {
        // No subject holds U+0000 (PostgreSQL text cannot, and nothing writes one on SQLite):
        // such a search matches nothing, on both engines alike.
        if let search = filter.search, search.unicodeScalars.contains("\u{0}") { return ([], 0) }
        var bindings: [any SQLBindable] = []
        var clauses: [String] = []
        // Categories that follow the caller's relations join their participant rows: the
        // count is then driven by those rows (CROSS JOIN fixes that order), while the page
        // itself walks tickets newest first and stops at LIMIT.
        var relation: String?
        func ids(_ values: [Int64]) -> String { "[" + values.map(String.init).joined(separator: ",") + "]" }
        func permitted(_ permissions: String) {
            guard !filter.isTenantAdmin else { return }
            clauses.append("""
                t.workflow_version_id IN (SELECT v.id FROM workflow_versions v WHERE v.tenant_id = ? AND v.workflow_id IN (
                    SELECT w.workflow_id FROM workflow_permissions w WHERE w.tenant_id = ? AND w.permission IN (\(permissions))
                    AND ((w.target_type = 'user' AND w.target_id = ?)
                         OR (w.target_type = 'department' AND w.target_id IN (\(db.dialect.integers(inJSONArray: "?")))))))
                """)
            bindings += [scope.tenantKey, scope.tenantKey, filter.userID, ids(filter.departmentIDs)]
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
        func from(_ join: String) -> String {
            relation == nil ? "tickets t" : "ticket_participants p \(join) tickets t ON t.tenant_id = p.tenant_id AND t.id = p.ticket_id"
        }
        if let relation {
            clauses.insert("p.tenant_id = ? AND p.user_id = ? AND p.in_workflow = 1 AND \(relation)", at: 0)
            head = [scope.tenantKey, filter.userID]
        }
        clauses.insert(contentsOf: ["t.tenant_id = ?", "t.workflow_version_id IS NOT NULL"], at: relation == nil ? 0 : 1)
        bindings = (relation == nil ? [scope.tenantKey] : head + [scope.tenantKey]) + bindings
        // The title search: through the trigram index (matches of a rare word drive the
        // walk; a common one is a set each row is checked against), or when too short for a
        // trigram, among the newest rows of the listing (`ShortTitleSearch`).
        var shortSearch: String?
        var titleMatch: (clause: String, value: String)?
        if let search = filter.search, !search.isEmpty {
            if search.unicodeScalars.count < TitleSubstring.indexedLength {
                shortSearch = search
            } else {
                let title = TitleSubstring(dialect: db.dialect)
                // Few matches drive (each looked up by id); many are a set the walk of the
                // listing's own index checks (the unary + keeps SQLite from driving by them).
                let value = title.value(search)
                let many = try db.dialect == .sqlite && title.matchCount(value, cap: titleDrivingLimit + 1, on: db) > titleDrivingLimit
                let clause = "\(many ? "+" : "")\(relation == nil ? "t.id" : "p.ticket_id") IN (\(title.matchingIDs))"
                clauses.append(clause)
                bindings.append(value)
                titleMatch = (clause, value)
            }
        }
        if let from = filter.createdFrom { clauses.append("t.created_at >= ?"); bindings.append(from) }
        if let to = filter.createdTo { clauses.append("t.created_at <= ?"); bindings.append(to) }
        if !filter.workflowIDs.isEmpty {
            clauses.append("t.workflow_version_id IN (SELECT v.id FROM workflow_versions v WHERE v.tenant_id = ? "
                + "AND v.workflow_id IN (\(db.dialect.integers(inJSONArray: "?"))))")
            bindings += [scope.tenantKey, ids(filter.workflowIDs)]
        }
        if !filter.nodeIDs.isEmpty {
            clauses.append("t.id IN (SELECT q.ticket_id FROM ticket_positions q WHERE q.tenant_id = ? "
                + "AND q.node_id IN (\(db.dialect.integers(inJSONArray: "?"))))")
            bindings += [scope.tenantKey, ids(filter.nodeIDs)]
        }
        if !filter.ticketNumbers.isEmpty {
            clauses.append("t.number IN (\(db.dialect.integers(inJSONArray: "?")))")
            bindings.append(ids(filter.ticketNumbers))
        }
        if !filter.actStates.isEmpty {
            clauses.append("t.act_state IN (\(db.dialect.texts(inJSONArray: "?")))")
            bindings.append("[" + filter.actStates.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]")
        }
        if let creator = filter.creatorID { clauses.append("t.creator_id = ?"); bindings.append(creator) }
        if let parent = filter.parentTicketID { clauses.append("t.parent_ticket_id = ?"); bindings.append(parent) }
        if !filter.limitDepartmentIDs.isEmpty {
            clauses.append("t.department_id IN (\(db.dialect.integers(inJSONArray: "?")))")
            bindings.append(ids(filter.limitDepartmentIDs))
        }
        if !filter.limitTagIDs.isEmpty {
            clauses.append("EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.tenant_id = t.tenant_id AND tt.ticket_id = t.id "
                + "AND tt.tag_id IN (\(db.dialect.integers(inJSONArray: "?"))))")
            bindings.append(ids(filter.limitTagIDs))
        }
        let whereClause = clauses.joined(separator: " AND ")
        let order = filter.newestFirst ? "DESC" : "ASC"
        if let shortSearch {
            // A relation's rows carry the ticket's creation time: their index yields the newest first.
            let newest = relation == nil ? "t.created_at DESC, t.id DESC" : "p.ticket_created_at DESC, p.ticket_id DESC"
            return try listShortSearch(shortSearch, from: from(db.dialect.orderedJoin), where: whereClause, bindings: bindings,
                                       newest: newest, order: order, limit: limit, offset: offset, on: db)
        }
        let total: Int
        var unsearched = filter
        unsearched.search = nil
        if let relation, unsearched.onlyCategoryAndWindow {
            // The common call (a category, the default window, perhaps a title search): counted
            // from the relation index alone.
            var countBindings: [any SQLBindable] = [scope.tenantKey, filter.userID]
            var window = ""
            if let from = filter.createdFrom { window += " AND p.ticket_created_at >= ?"; countBindings.append(from) }
            if let to = filter.createdTo { window += " AND p.ticket_created_at <= ?"; countBindings.append(to) }
            if let titleMatch { window += " AND " + titleMatch.clause; countBindings.append(titleMatch.value) }
            total = try db.queryOne("""
                SELECT count(*) FROM ticket_participants p
                WHERE p.tenant_id = ? AND p.user_id = ? AND p.in_workflow = 1 AND \(relation)\(window)
                """, bindings: countBindings) { $0.int(0) } ?? 0
        } else if filter.listsEveryWorkflowTicket, filter.onlyCategoryAndWindow {
            // An admin's whole tenant: summed from the per-bucket counts, not counted ticket by ticket.
            total = try WorkflowTicketCount.total(tenantID: scope.tenantKey, from: filter.createdFrom, to: filter.createdTo, on: db)
        } else {
            total = try db.queryOne("SELECT count(*) FROM \(from(db.dialect.orderedJoin)) WHERE \(whereClause)", bindings: bindings) { $0.int(0) } ?? 0
        }
        let tickets = try db.queryAll("""
            SELECT \(Ticket.columns(prefix: "t.")) FROM \(from("JOIN")) WHERE \(whereClause)
            ORDER BY t.created_at \(order), t.id \(order) LIMIT ? OFFSET ?
            """, bindings: bindings + [limit, offset]) { try Ticket(row: $0) }
        return (tickets, total)
    }

    /// `ShortTitleSearch`: the newest rows of the listing, their titles tested here, then the
    /// page's tickets read by id in listing order.
    private func listShortSearch(_ text: String, from: String, where whereClause: String, bindings: [any SQLBindable],
                                 newest order: String, order direction: String, limit: Int, offset: Int,
                                 on db: any SQLConnection) throws -> (tickets: [Ticket], total: Int) {
        let newest = try db.queryAll("""
            SELECT t.id, t.subject FROM \(from) WHERE \(whereClause) ORDER BY \(order) LIMIT ?
            """, bindings: bindings + [ShortTitleSearch.window]) { (id: $0.int64(0), subject: $0.string(1)) }
        var ids = newest.filter { ShortTitleSearch.title($0.subject, contains: text) }.map(\.id)
        if direction == "ASC" { ids.reverse() }
        let page = Array(ids.dropFirst(offset).prefix(limit))
        guard !page.isEmpty else { return ([], ids.count) }
        let rows = try db.queryAll("""
            SELECT \(Ticket.columns) FROM tickets WHERE tenant_id = ? AND id IN (\(db.dialect.integers(inJSONArray: "?")))
            """, bindings: [scope.tenantKey, "[" + page.map(String.init).joined(separator: ",") + "]"]) { try Ticket(row: $0) }
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        return (page.compactMap { byID[$0] }, ids.count)
    }
}
