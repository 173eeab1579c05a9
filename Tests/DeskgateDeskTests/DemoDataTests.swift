import DeskgateDemo
import DeskgateCrypto
import Foundation
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateStore
import DeskgateModel

@Suite("Demo data and directory services")
struct DemoDataTests {
    func temporaryDatabase() throws -> Database {
        try Database.open(path: NSTemporaryDirectory() + "deskgate-desk-\(UUID().uuidString)/db.sqlite")
    }

    func fastOptions(_ slug: String, tickets: Int) -> DemoDataGenerator.Options {
        var options = DemoDataGenerator.Options()
        options.tenantSlug = slug
        options.tickets = tickets
        options.batchSize = 97
        options.passwordHasher = PasswordHasher(logN: 10, r: 8, p: 1)
        options.workflows = false
        return options
    }

    @Test func demoCoversEveryStatusAndPriorityAndIsDeterministic() throws {
        let database = try temporaryDatabase()
        defer { database.close() }
        var progress: [Int] = []
        let summary = try DemoDataGenerator(database: database).run(fastOptions("acme", tickets: 400)) { done, _ in progress.append(done) }
        #expect(summary.tickets == 400)
        #expect(progress.first == 0 && progress.last == 400)
        let scope = summary.tenant.scope
        let tickets = try database.withReader { db in
            var all: [Ticket] = []
            var cursor: Int64?
            repeat {
                let page = try scope.tickets.listRecent(before: cursor, limit: 100, on: db)
                all += page.items
                cursor = page.nextCursor
            } while cursor != nil
            return all
        }
        #expect(tickets.count == 400)
        #expect(Set(tickets.map(\.status)) == Set(TicketStatus.allCases))
        #expect(Set(tickets.map(\.priority)) == Set(TicketPriority.allCases))
        #expect(Set(tickets.map(\.number)) == Set(1...400))

        let other = try temporaryDatabase()
        defer { other.close() }
        let again = try DemoDataGenerator(database: other).run(fastOptions("acme", tickets: 400))
        let firstSubject = try other.withReader { try again.tenant.scope.tickets.byNumber(1, on: $0)?.subject }
        let originalSubject = try database.withReader { try scope.tickets.byNumber(1, on: $0)?.subject }
        #expect(firstSubject == originalSubject)
    }

    @Test func demoPasswordVerifiesAndDemoLoginIsTheAdmin() throws {
        let database = try temporaryDatabase()
        defer { database.close() }
        let options = fastOptions("acme", tickets: 1)
        let summary = try DemoDataGenerator(database: database).run(options)
        let admin = try #require(try database.withReader { try summary.tenant.scope.users.byEmail(summary.adminEmail, on: $0) })
        #expect(admin.role == .admin)
        #expect(options.passwordHasher.verify(options.password, against: admin.passwordHash ?? ""))
        #expect(!options.passwordHasher.verify("wrong password", against: admin.passwordHash ?? ""))
    }

    @Test func secondTenantSeesNoneOfTheFirstTenantsAgents() throws {
        let database = try temporaryDatabase()
        defer { database.close() }
        _ = try DemoDataGenerator(database: database).run(fastOptions("acme", tickets: 5))
        let globex = try TenantService(database: database).create(slug: "globex", name: "Globex")
        let directory = DirectoryService(database: database, scope: globex.scope, passwords: PasswordHasher(logN: 10, r: 8, p: 1))
        #expect(try directory.agents().isEmpty)
        #expect(try directory.departments().isEmpty)
        // The same email may exist in two tenants: they are different people.
        let agent = try directory.createAgent(AgentDraft(email: "admin@acme.test", name: "Other Admin", role: .admin))
        #expect(agent.user.tenantID == globex.id)
    }

    @Test(arguments: [
        ("ab", true), ("acme-support", true), ("a", false), ("-acme", false), ("acme-", false), ("Acme", false),
        ("ac me", false), ("acme_1", false), (String(repeating: "a", count: 64), false),
    ])
    func tenantSlugRules(_ slug: String, _ valid: Bool) {
        #expect(((try? Validation.slug(slug)) != nil) == valid)
    }

    @Test(arguments: [
        ("dana@acme.test", true), ("Dana@Acme.Test", true), ("dana", false), ("dana@acme", false),
        ("da na@acme.test", false), ("@acme.test", false), ("dana@.test", false),
    ])
    func emailRules(_ email: String, _ valid: Bool) {
        #expect(((try? Validation.email(email)) != nil) == valid)
    }
}
