import DeskgateDemo
import DeskgateCrypto
import DeskgateSQL
import Foundation
@testable import DeskgateDesk
import DeskgateStore
import DeskgateModel

/// Two demo tenants and the planner statistics SQLite could hold for them (`PlanStabilityTests`).
/// acme: help-desk tickets plus bulk workflow tickets; globex: few help-desk tickets and more
/// bulk workflow tickets than acme, arriving after acme was analyzed (issue 16's stall).
final class PlanStabilityFixture: @unchecked Sendable {
    /// One `sqlite_stat1` content, or none at all (nil: the table dropped).
    struct Statistics: Sendable {
        let name: String
        let rows: [StatRow]?
    }

    struct StatRow: Sendable, Equatable {
        let table: String
        let index: String?
        let stat: String
    }

    let database: Database
    let directory: String
    let acme: TenantScope
    let globex: TenantScope
    /// none, fresh, and the stale ones (see `init`).
    private(set) var states: [Statistics] = []

    init(acmeTickets: Int = 1_500, acmeBulk: Int = 2_500, globexBulk: Int = 5_000) throws {
        let directory = NSTemporaryDirectory() + "deskgate-plans-\(UUID().uuidString)"
        let database = try Database.open(path: directory + "/db.sqlite")
        (self.directory, self.database) = (directory, database)
        var options = DemoDataGenerator.Options()
        options.tickets = acmeTickets
        options.bulkWorkflowTickets = acmeBulk
        options.batchSize = 250
        options.customers = 50
        options.passwordHasher = PasswordHasher(logN: 10, r: 8, p: 1)
        // Stale (a): statistics taken when the tables were nearly empty, the first batch in;
        // (b) taken before any workflow ticket existed (the help-desk tickets are made first):
        // the workflow indexes then have no statistics at all, as before issue 16's bulk load.
        var nearlyEmpty: [StatRow]?, beforeWorkflows: [StatRow]?
        acme = try DemoDataGenerator(database: database).run(options) { done, _ in
            if nearlyEmpty == nil, done > 0 {
                nearlyEmpty = try? PlanStabilityFixture.analyze(database)
            } else if beforeWorkflows == nil, done == acmeTickets {
                beforeWorkflows = try? PlanStabilityFixture.analyze(database)
            }
        }.tenant.scope
        // Stale (c): one tenant, then a second tenant's bulk load that nobody analyzed.
        let oneTenant = try PlanStabilityFixture.analyze(database)
        options.tenantSlug = "globex"
        options.tenantName = "Globex"
        options.tickets = acmeTickets / 10
        options.bulkWorkflowTickets = globexBulk
        options.seed = 7
        globex = try DemoDataGenerator(database: database).run(options).tenant.scope
        let fresh = try PlanStabilityFixture.analyze(database)
        states = [
            Statistics(name: "none", rows: nil),
            Statistics(name: "fresh", rows: fresh),
            Statistics(name: "nearly empty", rows: nearlyEmpty ?? []),
            Statistics(name: "before workflows", rows: beforeWorkflows ?? []),
            Statistics(name: "one tenant", rows: oneTenant),
            Statistics(name: "inverted", rows: Self.inverted(fresh)),
            Statistics(name: "every column unique", rows: Self.flattened(fresh)),
        ]
    }

    deinit {
        database.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// ANALYZE, and what it wrote.
    static func analyze(_ database: Database) throws -> [StatRow] {
        try database.refreshPlannerStatistics()
        return try database.withReader { db in
            try db.queryAll("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx") {
                StatRow(table: $0.string(0), index: $0.optionalString(1), stat: $0.string(2))
            }
        }
    }

    /// Makes `statistics` what the next connection opened loads (a connection reads them with
    /// the schema, once).
    func install(_ statistics: Statistics) throws {
        let rows = statistics.rows
        try database.write { tx in
            let db = tx.connection
            guard let rows else {
                try db.execute(script: "DROP TABLE IF EXISTS sqlite_stat1")
                return
            }
            // ANALYZE of the schema table alone creates sqlite_stat1 when it is missing.
            try db.execute(script: "ANALYZE sqlite_schema; DELETE FROM sqlite_stat1")
            for row in rows {
                try db.run("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?1, ?2, ?3)", row.table, row.index, row.stat)
            }
        }
    }

    /// Each index's selectivity turned upside down: a column that told rows apart (few rows per
    /// value) now looks like it tells nothing, and the reverse. Kept possible: a key that was
    /// unique stays unique, and each further column narrows (what ANALYZE itself can write).
    static func inverted(_ rows: [StatRow]) -> [StatRow] {
        reshaped(rows) { total, perValue in perValue.map { max(1, total / max(1, $0)) } }
    }

    /// Every index column as unique as can be (a table analyzed with one row in it).
    static func flattened(_ rows: [StatRow]) -> [StatRow] {
        reshaped(rows) { _, perValue in perValue.map { _ in 1 } }
    }

    private static func reshaped(_ rows: [StatRow], _ change: (Int, [Int]) -> [Int]) -> [StatRow] {
        rows.map { row in
            let parts = row.stat.split(separator: " ")
            guard row.index != nil, let total = Int(parts[0]), total > 0 else { return row }
            let perValue = parts.dropFirst().compactMap { Int($0) }
            var changed = change(total, perValue)
            for i in changed.indices.dropFirst() { changed[i] = min(changed[i], changed[i - 1]) }
            if perValue.last == 1, !changed.isEmpty { changed[changed.count - 1] = 1 }
            return StatRow(table: row.table, index: row.index, stat: ([total] + changed).map(String.init).joined(separator: " "))
        }
    }
}
