import DeskgateSQL
import Foundation
import Testing
@testable import DeskgateStore

/// `CopyPlan` against the schema the migrations make: it must name every table, in an order the
/// foreign keys accept, with the right keys, and account for every seeded row and trigger. A new
/// migration that adds a table or a trigger fails here until the plan says how to copy it.
@Suite struct CopyPlanTests {
    @Test func namesEveryTableOfAMigratedDatabase() throws {
        try withDatabase { db in
            let tables = try db.withReader { try CopyCatalog(connection: $0).tables() }
            #expect(tables == Set(CopyPlan.tables.map(\.name)))
            #expect(CopyPlan.tables.count == tables.count, "a table is listed twice")
        }
    }

    @Test func putsEveryParentBeforeItsChildren() throws {
        try withDatabase { db in
            try db.withReader { conn in
                let order = Dictionary(uniqueKeysWithValues: CopyPlan.tables.enumerated().map { ($1.name, $0) })
                for table in CopyPlan.tables {
                    // One row per column of each key: (tenant_id, parent_ticket_id) is two rows.
                    let rows = try conn.queryAll("SELECT id, \"table\", \"from\" FROM pragma_foreign_key_list(?1)", table.name) {
                        ($0.int(0), $0.string(1), $0.string(2))
                    }
                    for id in Set(rows.map(\.0)) {
                        let key = rows.filter { $0.0 == id }
                        let parent = key[0].1
                        if parent == table.name {
                            // Inserted as NULL, which skips the check, and set once every row is in.
                            #expect(key.contains { table.selfReferences.contains($0.2) }, "\(table.name) references its own rows")
                        } else {
                            #expect(order[parent]! < order[table.name]!, "\(table.name) is copied before its parent \(parent)")
                        }
                    }
                }
            }
        }
    }

    @Test func readsEachTableInItsPrimaryKeyOrder() throws {
        try withDatabase { db in
            try db.withReader { conn in
                for table in CopyPlan.tables {
                    let key = try conn.queryAll("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk", table.name) { $0.string(0) }
                    #expect(key == table.key, "\(table.name)")
                }
            }
        }
    }

    /// The data compared after the copy is read in key order on both engines, which agree on
    /// integers only (text sorts by collation).
    @Test func comparesTriggerKeptDataOnIntegerKeys() throws {
        try withDatabase { db in
            try db.withReader { conn in
                for table in CopyPlan.tables where table.isReplaced || !table.lateColumns.isEmpty {
                    let columns = try CopyCatalog(connection: conn).columns(of: table.name)
                    for name in table.key { #expect(columns.first { $0.name == name }?.kind == .integer, "\(table.name).\(name)") }
                    for name in table.lateColumns { #expect(columns.contains { $0.name == name }, "\(table.name).\(name)") }
                }
            }
        }
    }

    @Test func knowsWhichTablesTheMigrationsSeed() throws {
        try withDatabase { db in
            let seeded = try db.withReader { conn in
                try CopyPlan.tables.filter { table in
                    try conn.queryOne("SELECT count(*) FROM \"\(table.name)\"") { $0.int(0) }! > 0
                }.map(\.name)
            }
            #expect(seeded == CopyPlan.tables.filter { $0.target == .seededByMigrations }.map(\.name))
        }
    }

    @Test func accountsForEveryTriggerOnSQLite() throws {
        try withDatabase { db in
            let triggers = try db.withReader { try CopyCatalog(connection: $0).triggers() }
            #expect(triggers.subtracting(CopyPlan.reviewedTriggers).isEmpty)
        }
    }

    /// Every trigger of either engine is reviewed, and no reviewed name is left over from a
    /// trigger that no longer exists.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] != nil))
    func accountsForEveryTriggerOnBothEngines() throws {
        let sqlite = try withDatabase { db in try db.withReader { try CopyCatalog(connection: $0).triggers() } }
        let postgres = try Database.open(path: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"]!)
        defer { postgres.close() }
        let onPostgres = try postgres.withReader { try CopyCatalog(connection: $0).triggers() }
        #expect(onPostgres.subtracting(CopyPlan.reviewedTriggers).isEmpty)
        #expect(sqlite.union(onPostgres) == CopyPlan.reviewedTriggers)
        let tables = try postgres.withReader { try CopyCatalog(connection: $0).tables() }
        #expect(tables == Set(CopyPlan.tables.map(\.name)))
    }

    @Test func readsDeclaredTypesAsValueKinds() throws {
        #expect(try CopiedColumn(table: "t", name: "c", declaredType: "bigint", isIdentity: true).kind == .integer)
        #expect(try CopiedColumn(table: "t", name: "c", declaredType: "BLOB", isIdentity: false).kind == .blob)
        #expect(try CopiedColumn(table: "t", name: "c", declaredType: "bytea", isIdentity: false).kind == .blob)
        #expect(try CopiedColumn(table: "t", name: "c", declaredType: "double precision", isIdentity: false).kind == .real)
        #expect(throws: CopyError.unsupportedColumn(table: "t", column: "c", type: "jsonb")) {
            try CopiedColumn(table: "t", name: "c", declaredType: "jsonb", isIdentity: false)
        }
    }
}
