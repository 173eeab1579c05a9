import DeskgateSQL
import DeskgateTesting
import Foundation
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateStore
import DeskgateModel

/// A small help desk in a temporary database: two departments, one user per role (plus an
/// inactive agent), three tickets placed to exercise every visibility rule, and a second
/// tenant whose ticket #1 must never be reachable from the first.
///
///   #1 Support, unassigned, requester Carla   — agent Sam sees it through the department
///   #2 Billing, assigned to Sam               — Sam sees it as the assignee only
///   #3 Billing, unassigned                    — Sam must not see it
final class HelpDeskFixture: @unchecked Sendable {
    let database: Database
    let directory: String
    let scope: TenantScope
    let otherScope: TenantScope
    let service: TicketService
    let support: Department
    let billing: Department
    let admin: User, sam: User, bill: User, vera: User, idle: User
    let carla: Contact
    let t1: Ticket, t2: Ticket, t3: Ticket
    let foreignTicket: Ticket

    init() throws {
        directory = NSTemporaryDirectory() + "deskgate-tickets-" + UUID().uuidString
        database = try Database.open(path: directory + "/db.sqlite")
        service = TicketService(database: database)
        typealias Seed = (TenantScope, TenantScope, Department, Department, [User], Contact, [Ticket], Ticket)
        let seed: Seed = try database.write { tx in
            let scope = try TenantDirectory().create(slug: "acme", name: "Acme", in: tx).scope
            let support = try scope.departments.create(name: "Support", in: tx)
            let billing = try scope.departments.create(name: "Billing", in: tx)
            func user(_ email: String, _ name: String, _ role: UserRole, active: Bool = true, in department: Department?) throws -> User {
                let user = try scope.users.create(NewUser(email: email, name: name, role: role, isActive: active), in: tx)
                if let department { try scope.departments.addMember(departmentID: department.id, userID: user.id, isPrimary: true, in: tx) }
                return user
            }
            let users = [
                try user("ada@acme.test", "Ada Admin", .admin, in: nil),
                try user("sam@acme.test", "Sam Support", .agent, in: support),
                try user("bill@acme.test", "Bill Billing", .agent, in: billing),
                try user("vera@acme.test", "Vera Viewer", .viewer, in: support),
                try user("idle@acme.test", "Ida Idle", .agent, active: false, in: support),
            ]
            let carla = try scope.contacts.create(email: "carla@customer.test", name: "Carla Customer", in: tx)
            let t1 = try scope.tickets.create(NewTicket(subject: "Printer on fire", status: .open, priority: .high,
                                                        departmentID: support.id, requesterContactID: carla.id, createdAt: 1_000), in: tx)
            let t2 = try scope.tickets.create(NewTicket(subject: "Invoice twice charged", status: .pending, departmentID: billing.id,
                                                        assigneeID: users[1].id, createdAt: 2_000), in: tx)
            let t3 = try scope.tickets.create(NewTicket(subject: "Refund request", status: .resolved, priority: .low,
                                                        departmentID: billing.id, createdAt: 3_000), in: tx)
            _ = try scope.messages.append(NewMessage(ticketID: t1.id, kind: .reply, author: .contact(contactID: carla.id),
                                                     body: "Smoke is coming out of the toner tray", createdAt: 1_100), in: tx)
            _ = try scope.messages.append(NewMessage(ticketID: t1.id, kind: .note, author: .agent(userID: users[1].id),
                                                     body: "Told facilities", createdAt: 1_200), in: tx)
            let hardware = try scope.tags.ensure(name: "hardware", in: tx)
            try scope.tags.attach(tagID: hardware.id, toTicket: t1.id, in: tx)

            let other = try TenantDirectory().create(slug: "globex", name: "Globex", in: tx).scope
            let foreign = try other.tickets.create(NewTicket(subject: "Globex secret printer"), in: tx)
            let tickets = try [t1, t2, t3].map { try scope.tickets.byID($0.id, on: tx.connection)! }
            return (scope, other, support, billing, users, carla, tickets, foreign)
        }
        (scope, otherScope, support, billing) = (seed.0, seed.1, seed.2, seed.3)
        (admin, sam, bill, vera, idle) = (seed.4[0], seed.4[1], seed.4[2], seed.4[3], seed.4[4])
        carla = seed.5
        (t1, t2, t3) = (seed.6[0], seed.6[1], seed.6[2])
        foreignTicket = seed.7
    }

    deinit {
        database.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func actor(_ user: User, via: DeskActor.Via = .mcp, tokenID: Int64? = nil, clientID: String? = nil) throws -> DeskActor {
        try database.withReader { try DeskActor.load(tenant: scope, userID: user.id, via: via, tokenID: tokenID, clientID: clientID, on: $0) }
    }

    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try database.withReader(body)
    }

    /// Everything a command could touch, for "a dry run changed nothing" comparisons.
    struct Snapshot: Equatable {
        let tickets: [Ticket]
        let tags: [[String]]
        let messageCounts: [Int]
        let activity: [[ActivityEntry]]
        let tagNames: [String]
        let ticketCount: Int
    }

    func snapshot() throws -> Snapshot {
        try read { db in
            let count = try scope.tickets.count(on: db)
            let tickets = try (1...Int64(count)).compactMap { try scope.tickets.byNumber($0, on: db) }
            return Snapshot(
                tickets: tickets,
                tags: try tickets.map { try scope.tags.tags(forTicket: $0.id, on: db).map(\.name) },
                messageCounts: try tickets.map { try scope.messages.count(ticketID: $0.id, on: db) },
                activity: try tickets.map { try scope.activity.list(ticketID: $0.id, on: db).items },
                tagNames: try scope.tags.list(on: db).map(\.name),
                ticketCount: count)
        }
    }

    func activity(of ticket: Ticket) throws -> [ActivityEntry] {
        try activity(ofID: ticket.id)
    }

    func activity(ofID id: Int64) throws -> [ActivityEntry] {
        try read { try scope.activity.list(ticketID: id, on: $0).items }
    }
}

/// The thrown error as a `DeskError`, or nil when none (or another kind) was thrown.
func deskError(_ body: () throws -> Void) -> DeskError? { thrown(DeskError.self, body) }
