public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

/// A tenant's tickets. Numbers come from the tenant's sequence inside the writing
/// transaction; with one writer they cannot collide, and UNIQUE(tenant_id, number) backs that.
public struct TicketRepository: Sendable {
    public let scope: TenantScope

    public func create(_ ticket: NewTicket, in tx: WriteTransaction) throws -> Ticket {
        let db = tx.connection
        let number = try allocateNumbers(count: 1, on: db)
        let now = WallClock.milliseconds()
        let created = try db.queryOne("""
            INSERT INTO tickets (\(Self.insertColumns)) VALUES (\(Self.insertValues)) RETURNING \(Ticket.columns)
            """, bindings: Self.bindings(ticket, tenantID: scope.tenantKey, number: number, now: now)) { try Ticket(row: $0) }!
        try recordParticipants(ticketID: created.id, creatorID: ticket.creatorID, assigneeID: ticket.assigneeID,
                               inWorkflow: ticket.workflowVersionID != nil, createdAt: created.createdAt, title: ticket.subject, on: db)
        return created
    }

    /// The bulk path (demo data, imports): many tickets in the caller's transaction, cached
    /// statements, one sequence bump for the whole range. Returns the new ids in order.
    public func createBatch(_ tickets: [NewTicket], in tx: WriteTransaction) throws -> [Int64] {
        guard !tickets.isEmpty else { return [] }
        let db = tx.connection
        let last = try allocateNumbers(count: tickets.count, on: db)
        var number = last - Int64(tickets.count)
        let now = WallClock.milliseconds()
        var ids: [Int64] = []
        ids.reserveCapacity(tickets.count)
        let insert = "INSERT INTO tickets (\(Self.insertColumns)) VALUES (\(Self.insertValues)) RETURNING id"
        for ticket in tickets {
            number += 1
            let id = try db.queryOne(insert, bindings: Self.bindings(ticket, tenantID: scope.tenantKey, number: number, now: now)) {
                $0.int64(0)
            }!
            ids.append(id)
            try recordParticipants(ticketID: id, creatorID: ticket.creatorID, assigneeID: ticket.assigneeID,
                                   inWorkflow: ticket.workflowVersionID != nil, createdAt: ticket.createdAt ?? now,
                                   title: ticket.subject, on: db)
        }
        return ids
    }

    public func byID(_ id: Int64, on db: any SQLConnection) throws -> Ticket? {
        try db.queryOne("SELECT \(Ticket.columns) FROM tickets WHERE tenant_id = ?1 AND id = ?2",
                        scope.tenantKey, id) { try Ticket(row: $0) }
    }

    public func byNumber(_ number: Int64, on db: any SQLConnection) throws -> Ticket? {
        try db.queryOne("SELECT \(Ticket.columns) FROM tickets WHERE tenant_id = ?1 AND number = ?2",
                        scope.tenantKey, number) { try Ticket(row: $0) }
    }

    /// The tickets opened as children of `parentID`, oldest first (the partial index
    /// tickets_by_parent serves it).
    public func children(of parentID: Int64, limit: Int = 100, on db: any SQLConnection) throws -> [Ticket] {
        // Pinned to that index: rowid order within one parent, so no sort whatever the statistics.
        try db.queryAll("""
            SELECT \(Ticket.columns) FROM tickets\(db.dialect.indexedBy("tickets_by_parent")) WHERE tenant_id = ?1 AND parent_ticket_id = ?2 ORDER BY id LIMIT ?3
            """, scope.tenantKey, parentID, limit) { try Ticket(row: $0) }
    }

    public func count(on db: any SQLConnection) throws -> Int {
        try db.queryOne("SELECT count(*) FROM tickets WHERE tenant_id = ?1", scope.tenantKey) { $0.int(0) } ?? 0
    }

    /// Newest first; pass the page's cursor to get older tickets.
    public func listRecent(before cursor: Int64? = nil, limit: Int = 20, on db: any SQLConnection) throws -> Page<Ticket> {
        let tickets = try db.queryAll("""
            SELECT \(Ticket.columns) FROM tickets WHERE tenant_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3
            """, scope.tenantKey, cursor ?? Int64.max, limit) { try Ticket(row: $0) }
        return Page(items: tickets, nextCursor: tickets.count == limit ? tickets.last?.id : nil)
    }

    /// Tickets in which every word of `text` appears in the subject or in some message body
    /// (words may be spread over both), newest first. FTS5 matches across tenants; the joins
    /// back on tenant_id keep only ours. At most `maxSearchWords` words are used.
    public func search(_ text: String, limit: Int = 20, on db: any SQLConnection) throws -> [Ticket] {
        let words = Self.searchWords(text)
        guard !words.isEmpty else { return [] }
        // One "ticket ids matching word k" set per word, intersected. Wrapping each UNION in a
        // sub-select keeps SQLite's left-to-right compound operators from mixing them.
        let match = WordMatch(dialect: db.dialect)
        let perWord = (0..<words.count).map { k in
            """
            SELECT ticket_id FROM (
                \(match.ticketsBySubject("?\(k + 3)"))
                UNION
                \(match.ticketsByMessage("?\(k + 3)")) AND m.tenant_id = ?1) AS word\(k)
            """
        }
        let sql = """
            SELECT \(Ticket.columns) FROM tickets
            WHERE tenant_id = ?1 AND id IN (\(perWord.joined(separator: " INTERSECT ")))
            ORDER BY id DESC LIMIT ?2
            """
        return try db.queryAll(sql, bindings: [scope.tenantKey, limit] + words.map { match.term($0.text) }) { try Ticket(row: $0) }
    }

    /// Sets status (and resolved_at when resolving). Returns false if the ticket is not in this tenant.
    @discardableResult
    public func setStatus(_ status: TicketStatus, ticketID: Int64, in tx: WriteTransaction) throws -> Bool {
        let now = WallClock.milliseconds()
        return try tx.connection.run("""
            UPDATE tickets SET status = ?3, updated_at = ?4,
                resolved_at = CASE WHEN ?3 IN ('resolved', 'closed') THEN coalesce(resolved_at, ?4) ELSE NULL END
            WHERE tenant_id = ?1 AND id = ?2
            """, scope.tenantKey, ticketID, status, now) > 0
    }

    // MARK: internals

    private func allocateNumbers(count: Int, on db: any SQLConnection) throws -> Int64 {
        guard let last = try db.queryOne("""
            UPDATE tenant_sequences SET last_value = last_value + ?2 WHERE tenant_id = ?1 AND name = 'ticket'
            RETURNING last_value
            """, scope.tenantKey, count, map: { $0.int64(0) }) else {
            throw StoreError.invalidInput("no ticket sequence for \(scope)")
        }
        return last
    }

    /// `inWorkflow` marks the rows of workflow tickets, which `ticket_list`'s indexes cover alone,
    /// and `createdAt` (immutable) lets those indexes count a creation window without the tickets;
    /// their `title` lets a title search test the row there (migration 22).
    private func recordParticipants(ticketID: Int64, creatorID: Int64?, assigneeID: Int64?, inWorkflow: Bool,
                                    createdAt: Int64, title: String, on db: any SQLConnection) throws {
        for userID in Set([creatorID, assigneeID].compactMap { $0 }) {
            try db.run("""
                INSERT INTO ticket_participants (tenant_id, ticket_id, user_id, as_creator, as_assignee, in_workflow, ticket_created_at, ticket_title)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                ON CONFLICT (tenant_id, ticket_id, user_id) DO UPDATE SET
                    as_creator = \(db.dialect.greatest("ticket_participants.as_creator", "excluded.as_creator")),
                    as_assignee = \(db.dialect.greatest("ticket_participants.as_assignee", "excluded.as_assignee"))
                """, scope.tenantKey, ticketID, userID, userID == creatorID, userID == assigneeID, inWorkflow, createdAt,
                inWorkflow ? title : "")
        }
    }

    private static let insertColumns = """
        tenant_id, number, subject, status, priority, department_id, assignee_id, creator_id, requester_contact_id, \
        parent_ticket_id, workflow_version_id, node_id, act_state, created_at, updated_at, resolved_at
        """
    private static let insertValues = "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?16, ?15"

    private static func bindings(_ t: NewTicket, tenantID: RowTenant, number: Int64, now: Int64) -> [any SQLBindable] {
        let created = t.createdAt ?? now
        let updated = max(created, t.updatedAt ?? created)
        let resolved: Int64? = (t.status == .resolved || t.status == .closed) ? updated : nil
        return [tenantID, number, t.subject, t.status, t.priority, t.departmentID, t.assigneeID, t.creatorID,
                t.requesterContactID, t.parentTicketID, t.workflowVersionID, t.nodeID, t.actState, created, resolved,
                updated]
    }
}
