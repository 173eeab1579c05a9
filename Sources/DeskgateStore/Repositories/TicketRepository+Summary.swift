public import DeskgateSQL
public import DeskgateModel
/// Everything the metadata of one ticket shows besides the ticket row, in one statement:
/// the names behind its ids, its tags and its message count. Seven point queries were a
/// quarter of an MCP `get_ticket_metadata` call's instructions (callgrind); this is one.
public struct TicketRelations: Sendable, Equatable {
    public struct Named: Sendable, Equatable {
        public let id: Int64
        public let name: String
        public let email: String?
    }

    public let department: Named?
    public let assignee: Named?
    public let creator: Named?
    public let requester: Named?
    /// Sorted by name.
    public let tags: [String]
    public let messageCount: Int
}

/// A ticket row with its relations, read in one statement (`TicketRepository.detail`).
public struct TicketDetail: Sendable, Equatable {
    public let ticket: Ticket
    public let relations: TicketRelations
    /// The workflow node's name, when the ticket stands in one.
    public let workflowNodeName: String?
}

extension TicketRepository {
    /// The names, tags and message count of one ticket (its row read elsewhere).
    public func relations(ofTicket ticketID: Int64, on db: any SQLConnection) throws -> TicketRelations? {
        try db.queryOne(Self.relationsSQL, scope.tenantKey, ticketID) { row in Self.relations(row, from: 0) }
    }

    /// The ticket a reference names, with its relations and workflow node, in one statement:
    /// what `get_ticket_metadata` shows. Reading the row and then its relations separately cost
    /// a second statement (~10k instructions in SQLite, callgrind) for nothing.
    public func detail(byNumber number: Int64, on db: any SQLConnection) throws -> TicketDetail? {
        try db.queryOne(Self.detailByNumberSQL, scope.tenantKey, number) { try Self.detail($0) }
    }

    public func detail(byID id: Int64, on db: any SQLConnection) throws -> TicketDetail? {
        try db.queryOne(Self.detailByIDSQL, scope.tenantKey, id) { try Self.detail($0) }
    }

    // MARK: SQL

    /// Message count and tag names are columns of the ticket row, kept by triggers (migration
    /// 8): counting and collecting them here was ~16k instructions per call (callgrind). The
    /// names come unsorted and are sorted in Swift (`relations(_:from:)`).
    private static let relationColumns = """
        d.id, d.name, a.id, a.name, a.email, c.id, c.name, c.email, r.id, r.name, r.email,
        t.tag_names, t.message_count
        """

    private static let relationJoins = """
        LEFT JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.department_id
        LEFT JOIN users a ON a.tenant_id = t.tenant_id AND a.id = t.assignee_id
        LEFT JOIN users c ON c.tenant_id = t.tenant_id AND c.id = t.creator_id
        LEFT JOIN contacts r ON r.tenant_id = t.tenant_id AND r.id = t.requester_contact_id
        """

    static let relationsSQL = """
        SELECT \(relationColumns)
        FROM tickets t
        \(relationJoins)
        WHERE t.tenant_id = ?1 AND t.id = ?2
        """

    private static func detailSQL(where condition: String) -> String {
        """
        SELECT \(Ticket.columns(prefix: "t.")), \(relationColumns), n.name
        FROM tickets t
        \(relationJoins)
        LEFT JOIN workflow_nodes n ON n.tenant_id = t.tenant_id AND n.id = t.node_id
        WHERE t.tenant_id = ?1 AND \(condition)
        """
    }

    static let detailByNumberSQL = detailSQL(where: "t.number = ?2")
    static let detailByIDSQL = detailSQL(where: "t.id = ?2")

    private static func detail(_ row: any SQLRow) throws -> TicketDetail {
        let ticket = try Ticket(row: row)
        let relations = relations(row, from: Ticket.columnCount)
        let node = row.optionalString(Ticket.columnCount + 13)
        return TicketDetail(ticket: ticket, relations: relations, workflowNodeName: node)
    }

    private static func relations(_ row: any SQLRow, from first: Int32) -> TicketRelations {
        func named(_ column: Int32, email: Bool) -> TicketRelations.Named? {
            guard let id = row.optionalInt64(first + column) else { return nil }
            return TicketRelations.Named(id: id, name: row.string(first + column + 1),
                                         email: email ? row.optionalString(first + column + 2) : nil)
        }
        var tags = row.strings(first + 11, separatedBy: 0x1F)
        // tags.name is COLLATE NOCASE: sort the way SQLite's ORDER BY did (ASCII case folded).
        if tags.count > 1 { tags.sort { TagOrder.precedes($0, $1) } }
        return TicketRelations(department: named(0, email: false), assignee: named(2, email: true),
                               creator: named(5, email: true), requester: named(8, email: true),
                               tags: tags, messageCount: row.int(first + 12))
    }
}

/// NOCASE order (SQLite folds ASCII A-Z only), then binary order for names equal but for case.
public enum TagOrder {
    public static func precedes(_ a: String, _ b: String) -> Bool {
        var left = a.utf8.makeIterator(), right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return a < b
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?):
                let fx = x >= 0x41 && x <= 0x5A ? x | 0x20 : x
                let fy = y >= 0x41 && y <= 0x5A ? y | 0x20 : y
                if fx != fy { return fx < fy }
            }
        }
    }
}
