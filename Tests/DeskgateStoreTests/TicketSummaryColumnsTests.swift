@testable import DeskgateSQLite
import DeskgateSQL
import Testing
@testable import DeskgateStore
import DeskgateModel

/// Migration 8 keeps `message_count` and `tag_names` on the ticket row by triggers; the read
/// path trusts them, so every way a message or tag changes must leave them equal to what
/// counting and joining the rows says.
@Suite struct TicketSummaryColumnsTests {
    /// What the columns must equal: counted and joined from the rows themselves.
    private func truth(_ a: SeededTenant, ticket: Int64, on conn: any SQLConnection) throws -> (Int, [String]) {
        let count = try a.scope.messages.count(ticketID: ticket, on: conn)
        let names = try a.scope.tags.tags(forTicket: ticket, on: conn).map(\.name).sorted { TagOrder.precedes($0, $1) }
        return (count, names)
    }

    private func expectConsistent(_ a: SeededTenant, ticket: Int64, in db: Database,
                                  _ expected: (Int, [String]), sourceLocation: SourceLocation = #_sourceLocation) throws {
        try db.withReader { conn throws in
            let relations = try #require(try a.scope.tickets.relations(ofTicket: ticket, on: conn))
            let real = try truth(a, ticket: ticket, on: conn)
            #expect(relations.messageCount == real.0, sourceLocation: sourceLocation)
            #expect(relations.tags == real.1, sourceLocation: sourceLocation)
            #expect(real.0 == expected.0 && real.1 == expected.1, sourceLocation: sourceLocation)
            let detail = try #require(try a.scope.tickets.detail(byID: ticket, on: conn))
            #expect(detail.relations == relations, sourceLocation: sourceLocation)
        }
    }

    @Test func messagesAndTagsKeepTheTicketColumnsInStep() throws {
        try withDatabase { db in
            let a = try seedTenant("a", word: "alpha", in: db)
            let other = try db.write { tx in try a.scope.tickets.create(NewTicket(subject: "other"), in: tx) }
            // seedTenant's ticket has one message and the tag "hardware".
            try expectConsistent(a, ticket: a.ticket.id, in: db, (1, ["hardware"]))

            let (urgent, billing) = try db.write { tx throws in
                let urgent = try a.scope.tags.ensure(name: "Urgent", in: tx)
                let billing = try a.scope.tags.ensure(name: "billing", in: tx)
                _ = try a.scope.tags.attach(tagID: urgent.id, toTicket: a.ticket.id, in: tx)
                _ = try a.scope.tags.attach(tagID: billing.id, toTicket: a.ticket.id, in: tx)
                _ = try a.scope.tags.attach(tagID: billing.id, toTicket: other.id, in: tx)
                _ = try a.scope.messages.appendBatch((1...3).map {
                    NewMessage(ticketID: a.ticket.id, kind: .reply, author: .agent(userID: a.user.id), body: "reply \($0)")
                }, in: tx)
                return (urgent, billing)
            }
            try expectConsistent(a, ticket: a.ticket.id, in: db, (4, ["billing", "hardware", "Urgent"]))
            try expectConsistent(a, ticket: other.id, in: db, (0, ["billing"]))

            try db.write { tx throws in
                _ = try a.scope.tags.detach(tagID: urgent.id, fromTicket: a.ticket.id, in: tx)
                try tx.connection.run("DELETE FROM messages WHERE tenant_id = ?1 AND ticket_id = ?2 AND body = 'reply 2'",
                                      a.scope.tenantID, a.ticket.id)
            }
            try expectConsistent(a, ticket: a.ticket.id, in: db, (3, ["billing", "hardware"]))

            // A renamed tag shows its new name on every ticket; a deleted one (cascading to
            // ticket_tags) disappears from all of them.
            try db.write { tx throws in
                try tx.connection.run("UPDATE tags SET name = 'Invoices' WHERE id = ?1", billing.id)
            }
            try expectConsistent(a, ticket: a.ticket.id, in: db, (3, ["hardware", "Invoices"]))
            try expectConsistent(a, ticket: other.id, in: db, (0, ["Invoices"]))
            try db.write { tx throws in try tx.connection.run("DELETE FROM tags WHERE id = ?1", billing.id) }
            try expectConsistent(a, ticket: a.ticket.id, in: db, (3, ["hardware"]))
            try expectConsistent(a, ticket: other.id, in: db, (0, []))

            // A message moved to another ticket counts there.
            try db.write { tx throws in
                try tx.connection.run("UPDATE messages SET ticket_id = ?2 WHERE tenant_id = ?1 AND body = 'reply 3'",
                                      a.scope.tenantID, other.id)
            }
            try expectConsistent(a, ticket: a.ticket.id, in: db, (2, ["hardware"]))
            try expectConsistent(a, ticket: other.id, in: db, (1, []))
        }
    }
}
