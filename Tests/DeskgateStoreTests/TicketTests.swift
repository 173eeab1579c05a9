import DeskgateSQL
import Testing
@testable import DeskgateStore
import DeskgateModel

@Suite struct TicketTests {
    @Test func searchFindsSubjectAndMessageWordsOfOwnTenantOnly() throws {
        try withDatabase { db in
            let a = try seedTenant("a", word: "alpha", in: db)
            let b = try seedTenant("b", word: "beta", in: db)
            let second = try db.write { tx throws in
                let ticket = try a.scope.tickets.create(NewTicket(subject: "Password reset"), in: tx)
                _ = try a.scope.messages.append(NewMessage(ticketID: ticket.id, kind: .note, author: .agent(userID: a.user.id),
                                                           body: "Customer locked out after résumé upload"), in: tx)
                return ticket
            }
            try db.withReader { conn throws in
                #expect(try a.scope.tickets.search("alpha", on: conn).map(\.id) == [a.ticket.id])       // subject
                #expect(try a.scope.tickets.search("alphabody", on: conn).map(\.id) == [a.ticket.id])   // message body
                #expect(try a.scope.tickets.search("RESUME", on: conn).map(\.id) == [second.id])       // case, diacritics
                #expect(try a.scope.tickets.search("printer toner", on: conn).map(\.id) == [a.ticket.id]) // subject + body words
                #expect(try a.scope.tickets.search("printer", on: conn).map(\.id) == [a.ticket.id])
                #expect(try b.scope.tickets.search("printer", on: conn).map(\.id) == [b.ticket.id])
                #expect(try a.scope.tickets.search("\"unbalanced AND OR NOT (", on: conn).isEmpty)  // user input is literal
                #expect(try a.scope.tickets.search("   ", on: conn).isEmpty)
            }
            // Edits keep the index in sync.
            try db.write { tx throws in
                try tx.connection.run("UPDATE tickets SET subject = 'Scanner jammed' WHERE id = ?1", a.ticket.id)
            }
            try db.withReader { conn throws in
                #expect(try a.scope.tickets.search("alpha", on: conn).isEmpty)
                #expect(try a.scope.tickets.search("scanner", on: conn).map(\.id) == [a.ticket.id])
            }
        }
    }

    @Test func messagesPageWithAKeysetCursor() throws {
        try withDatabase { db in
            let a = try seedTenant("a", word: "alpha", in: db)
            try db.write { tx throws in
                _ = try a.scope.messages.appendBatch((1...6).map {
                    NewMessage(ticketID: a.ticket.id, kind: .reply, author: .agent(userID: a.user.id), body: "reply \($0)")
                }, in: tx)
            }
            try db.withReader { conn throws in
                var bodies: [String] = []
                var cursor: Int64?
                repeat {
                    let page = try a.scope.messages.list(ticketID: a.ticket.id, after: cursor, limit: 3, on: conn)
                    bodies += page.items.map(\.body)
                    cursor = page.nextCursor
                } while cursor != nil
                #expect(bodies == ["The toner smells of alphabody"] + (1...6).map { "reply \($0)" })
            }
        }
    }

    @Test func batchCreateAllocatesConsecutiveNumbersAndIndexesParticipants() throws {
        try withDatabase { db in
            let a = try seedTenant("a", word: "alpha", in: db)
            let ids = try db.write { tx throws in
                try a.scope.tickets.createBatch((1...10).map {
                    NewTicket(subject: "bulk \($0)", status: .resolved, assigneeID: a.user.id, creatorID: a.user.id)
                }, in: tx)
            }
            try db.withReader { conn throws in
                let numbers = try ids.map { try a.scope.tickets.byID($0, on: conn)!.number }
                #expect(numbers == Array(2...11))
                #expect(try a.scope.tickets.byID(ids[0], on: conn)?.resolvedAt != nil)
                let participants = try conn.queryOne("""
                    SELECT count(*) FROM ticket_participants WHERE tenant_id = ?1 AND user_id = ?2 AND as_creator = 1 AND as_assignee = 1
                    """, a.scope.tenantID, a.user.id) { $0.int(0) }
                #expect(participants == 11)
            }
            let later = try db.write { tx in try a.scope.tickets.create(NewTicket(subject: "after"), in: tx) }
            #expect(later.number == 12)
        }
    }

    @Test func tagsAreEnsuredOnceAndListedPerTicket() throws {
        try withDatabase { db in
            let a = try seedTenant("a", word: "alpha", in: db)
            let (first, again) = try db.write { tx throws in
                let first = try a.scope.tags.ensure(name: "billing", in: tx)
                let again = try a.scope.tags.ensure(name: "Billing", in: tx)
                try a.scope.tags.attach(tagID: first.id, toTicket: a.ticket.id, in: tx)
                try a.scope.tags.attach(tagID: first.id, toTicket: a.ticket.id, in: tx)
                return (first, again)
            }
            #expect(first.id == again.id)
            #expect(try db.withReader { try a.scope.tags.tags(forTicket: a.ticket.id, on: $0) }.map(\.name) == ["billing", "hardware"])
        }
    }

    @Test func signingKeysListOnlyVerifiableOnes() throws {
        try withDatabase { db in
            let store = SigningKeyStore()
            try db.write { tx throws in
                _ = try store.publish(kid: "k1", alg: "ES256", publicJWKJSON: "{}", in: tx)
                _ = try store.publish(kid: "k2", alg: "ES256", publicJWKJSON: "{}", in: tx)
                try store.setState(.retired, kid: "k1", in: tx)
            }
            let keys = try db.withReader { try store.verificationKeys(on: $0) }
            #expect(keys.map(\.kid) == ["k2"])
            #expect(try db.withReader { try store.byKid("k1", on: $0) }?.retiredAt != nil)
        }
    }
}
