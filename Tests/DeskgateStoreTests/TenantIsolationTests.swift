import DeskgateSQL
import Testing
@testable import DeskgateStore
import DeskgateModel

/// Tenants A and B hold parallel data (same emails, names, numbers). Everything asked through
/// A's scope, including B's ids, must answer with A's rows or nothing.
@Suite struct TenantIsolationTests {
    @Test func readsThroughOneScopeNeverSeeAnotherTenant() throws {
        try withDatabase { db in
            let a = try seedTenant("a", word: "alpha", in: db)
            let b = try seedTenant("b", word: "beta", in: db)
            let scope = a.scope
            try db.withReader { conn throws in
                #expect(try scope.users.byID(b.user.id, on: conn) == nil)
                #expect(try scope.users.byEmail("agent@example.com", on: conn)?.id == a.user.id)
                #expect(try scope.users.list(on: conn).items.map(\.id) == [a.user.id])
                #expect(try scope.users.count(on: conn) == 1)

                #expect(try scope.departments.byID(b.department.id, on: conn) == nil)
                #expect(try scope.departments.byName("support", on: conn)?.id == a.department.id)
                #expect(try scope.departments.list(on: conn).map(\.id) == [a.department.id])
                #expect(try scope.departments.members(ofDepartment: b.department.id, on: conn).isEmpty)
                #expect(try scope.departments.memberships(ofUser: b.user.id, on: conn).isEmpty)

                #expect(try scope.contacts.byID(b.contact.id, on: conn) == nil)
                #expect(try scope.contacts.byEmail("customer@example.com", on: conn)?.id == a.contact.id)

                #expect(try scope.tickets.byID(b.ticket.id, on: conn) == nil)
                #expect(try scope.tickets.byNumber(b.ticket.number, on: conn)?.id == a.ticket.id)  // both are #1
                #expect(try scope.tickets.count(on: conn) == 1)
                #expect(try scope.tickets.listRecent(on: conn).items.map(\.id) == [a.ticket.id])
                #expect(try scope.tickets.search("beta", on: conn).isEmpty)
                #expect(try scope.tickets.search("betabody", on: conn).isEmpty)
                #expect(try scope.tickets.search("printer", on: conn).map(\.id) == [a.ticket.id])

                #expect(try scope.messages.list(ticketID: b.ticket.id, on: conn).items.isEmpty)
                #expect(try scope.messages.count(ticketID: b.ticket.id, on: conn) == 0)
                #expect(try scope.tags.tags(forTicket: b.ticket.id, on: conn).isEmpty)
                #expect(try scope.tags.byName("hardware", on: conn)?.id == a.tag.id)
                #expect(try scope.tags.list(on: conn).map(\.id) == [a.tag.id])
                #expect(try scope.activity.list(ticketID: b.ticket.id, on: conn).items.isEmpty)
            }
        }
    }

    @Test func writesThroughOneScopeCannotReachAnotherTenant() throws {
        try withDatabase { db in
            let a = try seedTenant("a", word: "alpha", in: db)
            let b = try seedTenant("b", word: "beta", in: db)
            let scope = a.scope
            try db.write { tx throws in
                #expect(try scope.messages.append(
                    NewMessage(ticketID: b.ticket.id, kind: .note, author: .system, body: "x"), in: tx) == nil)
                #expect(try scope.tags.attach(tagID: b.tag.id, toTicket: a.ticket.id, in: tx) == false)
                #expect(try scope.tags.attach(tagID: a.tag.id, toTicket: b.ticket.id, in: tx) == false)
                #expect(try scope.tags.detach(tagID: b.tag.id, fromTicket: b.ticket.id, in: tx) == false)
                #expect(try scope.tickets.setStatus(.closed, ticketID: b.ticket.id, in: tx) == false)
                #expect(try scope.departments.addMember(departmentID: b.department.id, userID: a.user.id, in: tx) == false)
                #expect(try scope.users.recordLogin(userID: b.user.id, in: tx) == false)
            }
            // B is untouched.
            try db.withReader { conn throws in
                #expect(try b.scope.tickets.byID(b.ticket.id, on: conn)?.status == b.ticket.status)
                #expect(try b.scope.messages.count(ticketID: b.ticket.id, on: conn) == 1)
                #expect(try b.scope.tags.tags(forTicket: b.ticket.id, on: conn).map(\.id) == [b.tag.id])
                #expect(try b.scope.users.byID(b.user.id, on: conn)?.lastLoginAt == nil)
            }
        }
    }
}
