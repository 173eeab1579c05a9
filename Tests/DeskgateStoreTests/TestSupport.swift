import DeskgateSQL
import Foundation
@testable import DeskgateStore
import DeskgateModel

/// A fresh directory per test (tests run in parallel), removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) rethrows -> T {
    let path = NSTemporaryDirectory() + "deskgate-store-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Opens a migrated database in a nested (not yet existing) directory, closes it after `body`.
func withDatabase<T>(configure: (inout DatabaseConfiguration) -> Void = { _ in },
                     _ body: (Database) throws -> T) throws -> T {
    try withTemporaryDirectory { dir in
        var configuration = DatabaseConfiguration()
        configure(&configuration)
        // A nested directory that does not exist yet: open must create it.
        let db = try Database.open(path: dir + "/var/db/deskgate.sqlite", configuration: configuration)
        defer { db.close() }
        return try body(db)
    }
}

/// A tenant with a little of everything, for isolation tests.
struct SeededTenant: Sendable {
    let scope: TenantScope
    let user: User
    let department: Department
    let contact: Contact
    let ticket: Ticket
    let message: Message
    let tag: Tag
    let activity: ActivityEntry
}

func seedTenant(_ slug: String, word: String, in db: Database) throws -> SeededTenant {
    try db.write { tx throws in
        let scope = try TenantDirectory().create(slug: slug, name: slug.uppercased(), in: tx).scope
        let user = try scope.users.create(NewUser(email: "Agent@Example.com", name: "Agent \(slug)", role: .agent), in: tx)
        let department = try scope.departments.create(name: "Support", in: tx)
        try scope.departments.addMember(departmentID: department.id, userID: user.id, isPrimary: true, in: tx)
        let contact = try scope.contacts.create(email: "customer@example.com", name: "Customer", in: tx)
        let ticket = try scope.tickets.create(
            NewTicket(subject: "Printer \(word) on fire", departmentID: department.id, assigneeID: user.id,
                      creatorID: user.id, requesterContactID: contact.id), in: tx)
        let message = try scope.messages.append(
            NewMessage(ticketID: ticket.id, kind: .reply, author: .contact(contactID: contact.id),
                       body: "The toner smells of \(word)body"), in: tx)!
        let tag = try scope.tags.ensure(name: "hardware", in: tx)
        try scope.tags.attach(tagID: tag.id, toTicket: ticket.id, in: tx)
        let activity = try scope.activity.append(
            NewActivity(ticketID: ticket.id, actorUserID: user.id, via: .cli, action: "ticket.created"), in: tx)
        return SeededTenant(scope: scope, user: user, department: department, contact: contact, ticket: ticket,
                            message: message, tag: tag, activity: activity)
    }
}

func removeTree(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}
