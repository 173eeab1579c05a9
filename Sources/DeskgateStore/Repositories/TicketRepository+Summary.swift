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

extension TicketRepository {
    public func relations(ofTicket ticketID: Int64, on db: SQLiteConnection) throws -> TicketRelations? {
        try db.queryOne("""
            SELECT d.id, d.name, a.id, a.name, a.email, c.id, c.name, c.email, r.id, r.name, r.email,
                   (SELECT group_concat(name, char(31)) FROM (
                        SELECT g.name AS name FROM ticket_tags tt
                        JOIN tags g ON g.tenant_id = tt.tenant_id AND g.id = tt.tag_id
                        WHERE tt.tenant_id = ?1 AND tt.ticket_id = ?2 ORDER BY g.name)),
                   (SELECT count(*) FROM messages m WHERE m.tenant_id = ?1 AND m.ticket_id = ?2)
            FROM tickets t
            LEFT JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.department_id
            LEFT JOIN users a ON a.tenant_id = t.tenant_id AND a.id = t.assignee_id
            LEFT JOIN users c ON c.tenant_id = t.tenant_id AND c.id = t.creator_id
            LEFT JOIN contacts r ON r.tenant_id = t.tenant_id AND r.id = t.requester_contact_id
            WHERE t.tenant_id = ?1 AND t.id = ?2
            """, scope.tenantID, ticketID) { row in
            func named(_ column: Int32, email: Bool) -> TicketRelations.Named? {
                guard let id = row.optionalInt64(column) else { return nil }
                return TicketRelations.Named(id: id, name: row.string(column + 1),
                                             email: email ? row.optionalString(column + 2) : nil)
            }
            let tags = row.optionalString(11).map { $0.split(separator: "\u{1F}").map(String.init) } ?? []
            return TicketRelations(department: named(0, email: false), assignee: named(2, email: true),
                                   creator: named(5, email: true), requester: named(8, email: true),
                                   tags: tags, messageCount: row.int(12))
        }
    }
}
