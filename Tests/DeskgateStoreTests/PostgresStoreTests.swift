import DeskgateSQL
import Foundation
import Testing
@testable import DeskgateStore
import DeskgateModel

/// The store on PostgreSQL: migrations, the writer, readers and the repositories the seed
/// touches. Runs when `DESKGATE_TEST_DATABASE_URL` names a database (`scripts/with-postgres`
/// sets it, and `scripts/test` runs the suite inside it); every test uses its own tenant, so
/// they share the database safely.
@Suite("Store on PostgreSQL", .enabled(if: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] != nil))
struct PostgresStoreTests {
    private var url: String { ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] ?? "" }

    private func slug() -> String { "pg-" + UUID().uuidString.prefix(8).lowercased() }

    @Test func migratesToTheSameVersionsAsSQLite() throws {
        let db = try Database.open(path: url)
        defer { db.close() }
        #expect(db.location.dialect == .postgres)
        let versions = try db.withReader { try $0.queryAll("SELECT version FROM schema_migrations ORDER BY version") { $0.int(0) } }
        #expect(versions == Migration.all.map(\.version))
        // A second open finds nothing to apply.
        let again = try Database.open(path: url)
        again.close()
    }

    @Test func seedsAndReadsATenantThroughTheRepositories() throws {
        let db = try Database.open(path: url)
        defer { db.close() }
        let seeded = try seedTenant(slug(), word: "kraken", in: db)
        let (ticket, tags, count) = try db.withReader { conn in
            (try seeded.scope.tickets.byID(seeded.ticket.id, on: conn),
             try seeded.scope.tickets.detail(byNumber: seeded.ticket.number, on: conn)?.relations.tags ?? [],
             try seeded.scope.messages.count(ticketID: seeded.ticket.id, on: conn))
        }
        #expect(ticket?.subject == "Printer kraken on fire")
        #expect(tags == ["hardware"])
        #expect(count == 1)
    }

    @Test func anotherTenantSeesNone() throws {
        let db = try Database.open(path: url)
        defer { db.close() }
        let a = try seedTenant(slug(), word: "alpha", in: db)
        let b = try seedTenant(slug(), word: "beta", in: db)
        let crossed = try db.withReader { try b.scope.tickets.byID(a.ticket.id, on: $0) }
        #expect(crossed == nil)
    }

    @Test func revokingBumpsTheCounterInTheSameTransaction() throws {
        let db = try Database.open(path: url)
        defer { db.close() }
        let seeded = try seedTenant(slug(), word: "gamma", in: db)
        let before = try db.withReader { try RevocationCounter().current(on: $0) }
        try db.write { tx in try seeded.scope.users.setActive(false, userID: seeded.user.id, in: tx) }
        let after = try db.withReader { try RevocationCounter().current(on: $0) }
        #expect(after > before)
    }

    @Test func aReaderRefusesToWrite() throws {
        let db = try Database.open(path: url)
        defer { db.close() }
        #expect(throws: StoreError.self) {
            try db.withReader { try $0.run("UPDATE revocation_counter SET value = value WHERE id = 1") }
        }
    }
}
