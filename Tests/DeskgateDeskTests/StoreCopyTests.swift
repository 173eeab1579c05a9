import DeskgateCrypto
import DeskgateDemo
import DeskgateSQL
import Foundation
import Testing
@testable import DeskgateStore

/// `DatabaseCopy` on demo data: every table's full content survives SQLite → SQLite and
/// SQLite → PostgreSQL → SQLite, and the copy refuses what it must.
@Suite("Store copy")
struct StoreCopyTests {
    static let postgresURL = ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"]

    @Test func copiesSQLiteToSQLiteRowForRow() throws {
        try withDirectory { dir in
            try seedSource(dir + "/source.sqlite")
            let report = try DatabaseCopy(from: dir + "/source.sqlite", to: dir + "/copy/target.sqlite").run()
            #expect(report.tables.map(\.name) == CopyPlan.tables.map(\.name))
            #expect(report.tables.allSatisfy { $0.sourceRows == $0.targetRows })
            #expect(report.tables.first { $0.name == "tickets" }!.targetRows > 0)
            #expect(report.rebuiltSearchIndexes == ["message_body_search", "ticket_subject_search", "workflow_subject_trigrams", "ticket_words"])
            let original = try contents(of: dir + "/source.sqlite")
            #expect(try contents(of: dir + "/copy/target.sqlite") == original)
            #expect(try searchHits(dir + "/copy/target.sqlite") == searchHits(dir + "/source.sqlite"))
        }
    }

    @Test(.enabled(if: postgresURL != nil))
    func roundTripsThroughPostgreSQL() throws {
        let schema = try ScratchSchema(base: Self.postgresURL!)
        defer { schema.drop() }
        try withDirectory { dir in
            try seedSource(dir + "/source.sqlite")
            let there = try DatabaseCopy(from: dir + "/source.sqlite", to: schema.url).run()
            #expect(there.sequencesSet > 0)
            #expect(there.rebuiltSearchIndexes == ["ticket_words"])
            let back = try DatabaseCopy(from: schema.url, to: dir + "/back.sqlite").run()
            #expect(back.tables.map(\.targetRows) == there.tables.map(\.targetRows))

            let original = try contents(of: dir + "/source.sqlite")
            #expect(try contents(of: schema.url) == original)
            #expect(try contents(of: dir + "/back.sqlite") == original)
            #expect(try searchHits(dir + "/back.sqlite") == searchHits(dir + "/source.sqlite"))

            // The per-ticket documents, built once at the end, find what SQLite's find.
            let db = try Database.open(path: schema.url)
            defer { db.close() }
            for word in ["printer", "vpn", "invoice", "password"] {
                let there = try db.withReader { conn in
                    try conn.queryAll("SELECT ticket_id FROM ticket_words WHERE words @@ deskgate_search_all(?1) ORDER BY ticket_id", word) { $0.int64(0) }
                }
                #expect(there == (try sqliteWordHits(dir + "/source.sqlite", word)), "\(word)")
            }
            #expect(try db.withReader { try postgresTriggerStates($0) }.allSatisfy { $0 == "O" })

            // The identity sequences moved past the copied ids: a new row gets a fresh one.
            let largest = try db.withReader { try $0.queryOne("SELECT max(id) FROM tenants") { $0.int64(0) } }!
            let created = try db.write { tx in try TenantDirectory().create(slug: "after-copy", name: "After", in: tx) }
            #expect(created.id > largest)
        }
    }

    /// A failure half-way (a message body PostgreSQL cannot store, after the tickets went in)
    /// leaves the target empty with its triggers on, and the copy runs again once it is fixed.
    @Test(.enabled(if: postgresURL != nil))
    func aFailureHalfWayIntoPostgreSQLLeavesItEmpty() throws {
        let schema = try ScratchSchema(base: Self.postgresURL!)
        defer { schema.drop() }
        try withDirectory { dir in
            let source = dir + "/source.sqlite"
            try seedSource(source)
            let message = try withSQLite(source) { c in
                let id = try c.queryOne("SELECT max(id) FROM messages") { $0.int64(0) }!
                try c.run("UPDATE messages SET body = ?2 WHERE id = ?1", id, "before\u{0}after")
                return id
            }
            #expect(throws: CopyError.textWithNUL(table: "messages", column: "body", key: String(message))) {
                try DatabaseCopy(from: source, to: schema.url).run()
            }
            let db = try Database.open(path: schema.url)
            defer { db.close() }
            try db.withReader { conn in
                for table in CopyPlan.tables where table.target != .seededByMigrations {
                    #expect(try conn.queryOne("SELECT count(*) FROM \"\(table.name)\"") { $0.int(0) } == 0, "\(table.name)")
                }
                #expect(try conn.queryOne("SELECT count(*) FROM ticket_words") { $0.int(0) } == 0)
                let states = try postgresTriggerStates(conn)
                #expect(!states.isEmpty && states.allSatisfy { $0 == "O" })
            }
            let indexes = try db.withReader { try postgresIndexes($0) }
            #expect(indexes.contains { $0.hasPrefix("ticket_words_search ") })
            let foreignKeys = try db.withReader { try postgresForeignKeys($0) }
            #expect(foreignKeys.count > 50)

            _ = try withSQLite(source) { c in try c.run("UPDATE messages SET body = 'fixed' WHERE id = ?1", message) }
            let report = try DatabaseCopy(from: source, to: schema.url).run()
            #expect(report.tables.allSatisfy { $0.sourceRows == $0.targetRows })
            #expect(try contents(of: schema.url) == contents(of: source))
            // The indexes the bulk load dropped are back as they were.
            #expect(try db.withReader { try postgresIndexes($0) } == indexes)
            #expect(try db.withReader { try postgresForeignKeys($0) } == foreignKeys)
        }
    }

    /// The foreign keys are off while the rows go in and validated when added back: a row
    /// whose parent is missing still fails the copy, and nothing is committed.
    @Test(.enabled(if: postgresURL != nil))
    func anOrphanRowFailsTheCopyIntoPostgreSQL() throws {
        let schema = try ScratchSchema(base: Self.postgresURL!)
        defer { schema.drop() }
        try withDirectory { dir in
            let source = dir + "/source.sqlite"
            try seedSource(source)
            _ = try withSQLite(source) { c in
                // SQLite checks keys as rows change; turning that off takes effect only outside a transaction.
                try c.execute(script: """
                    COMMIT; PRAGMA foreign_keys = OFF; BEGIN;
                    UPDATE messages SET ticket_id = 999999 WHERE id = (SELECT max(id) FROM messages)
                    """)
            }
            #expect {
                try DatabaseCopy(from: source, to: schema.url).run()
            } throws: { error in
                "\(error)".contains("foreign key")
            }
            let db = try Database.open(path: schema.url)
            defer { db.close() }
            #expect(try db.withReader { try $0.queryOne("SELECT count(*) FROM messages") { $0.int(0) } } == 0)
            #expect(try db.withReader { try postgresForeignKeys($0) }.count > 50)
        }
    }

    @Test func refusesANonEmptyTargetAndLeavesIt() throws {
        try withDirectory { dir in
            try seedSource(dir + "/source.sqlite")
            _ = try DatabaseCopy(from: dir + "/source.sqlite", to: dir + "/target.sqlite").run()
            let before = try contents(of: dir + "/target.sqlite")
            #expect {
                try DatabaseCopy(from: dir + "/source.sqlite", to: dir + "/target.sqlite").run()
            } throws: { error in
                guard case let .targetNotEmpty(_, tables) = error as? CopyError else { return false }
                return tables["tickets"] != nil && tables["revocation_counter"] == nil
            }
            #expect(try contents(of: dir + "/target.sqlite") == before)
        }
    }

    @Test func refusesASourceAtAnOlderSchema() throws {
        try withDirectory { dir in
            var older = DatabaseConfiguration()
            older.migrations = Array(Migration.all.dropLast())
            try Database.open(path: dir + "/old.sqlite", configuration: older).close()
            #expect(throws: CopyError.sourceSchemaOutdated(source: dir + "/old.sqlite", version: older.migrations.last!.version,
                                                           current: Migration.latestVersion)) {
                try DatabaseCopy(from: dir + "/old.sqlite", to: dir + "/target.sqlite").run()
            }
            // Refused before the target was made.
            #expect(!FileManager.default.fileExists(atPath: dir + "/target.sqlite"))
        }
    }

    @Test func refusesATableItDoesNotKnow() throws {
        try withDirectory { dir in
            let db = try Database.open(path: dir + "/source.sqlite")
            try db.write { tx in try tx.connection.execute(script: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)") }
            db.close()
            #expect(throws: CopyError.unknownTables(database: dir + "/source.sqlite", unknown: ["notes"], missing: [])) {
                try DatabaseCopy(from: dir + "/source.sqlite", to: dir + "/target.sqlite").run()
            }
        }
    }

    @Test func refusesATargetWithATriggerItDoesNotKnow() throws {
        try withDirectory { dir in
            try seedSource(dir + "/source.sqlite")
            let target = try Database.open(path: dir + "/target.sqlite")
            try target.write { tx in
                try tx.connection.execute(script: """
                    CREATE TRIGGER tenant_audit AFTER INSERT ON tenants
                        BEGIN UPDATE revocation_counter SET value = value + 100 WHERE id = 1; END;
                    """)
            }
            target.close()
            #expect(throws: CopyError.unreviewedTriggers(database: dir + "/target.sqlite", triggers: ["tenant_audit"])) {
                try DatabaseCopy(from: dir + "/source.sqlite", to: dir + "/target.sqlite").run()
            }
        }
    }

    @Test func refusesToCopyADatabaseOntoItself() throws {
        #expect(throws: CopyError.sameDatabase("a.sqlite")) { try DatabaseCopy(from: "a.sqlite", to: "a.sqlite").run() }
    }
}

// MARK: fixtures

/// Demo data (with workflows), plus what the demo leaves out: blobs (an empty one too), rows
/// that name later rows of their own table, text beyond ASCII, a revocation, a probe row.
private func seedSource(_ path: String) throws {
    let db = try Database.open(path: path)
    defer { db.close() }
    var options = DemoDataGenerator.Options()
    options.tickets = 40
    options.customers = 20
    options.batchSize = 17
    options.passwordHasher = PasswordHasher(logN: 10, r: 8, p: 1)
    let tenant = try DemoDataGenerator(database: db).run(options).tenant.id
    try db.write { tx in
        let c = tx.connection
        let user = try c.queryOne("SELECT min(id) FROM users WHERE tenant_id = ?1", tenant) { $0.int64(0) }!
        try c.run("""
            UPDATE tickets SET parent_ticket_id = (SELECT max(id) FROM tickets WHERE tenant_id = ?1)
            WHERE id = (SELECT min(id) FROM tickets WHERE tenant_id = ?1)
            """, tenant)
        try c.run("UPDATE contacts SET name = ?2 WHERE id = (SELECT min(id) FROM contacts WHERE tenant_id = ?1)",
                  tenant, "Zoë \"Ünïcødé\" 🚀 back\\slash\ttab")
        try c.run("""
            INSERT INTO personal_access_tokens (tenant_id, user_id, name, token_hash, masked, scopes, created_at, expires_at)
            VALUES (?1, ?2, 'copy', ?3, 'dg_…abcd', 'tickets:read', 1, 2)
            """, tenant, user, [UInt8](0...255))
        try c.run("UPDATE personal_access_tokens SET revoked_at = 3")
        for (client, secret) in [("first", [UInt8]([0, 1, 2, 0])), ("second", [])] {
            try c.run("INSERT INTO oauth_clients (tenant_id, client_id, kind, secret_hash, created_at) VALUES (?1, ?2, 'preregistered', ?3, 1)",
                      tenant, client, secret)
        }
        try c.run("INSERT INTO oauth_grants (tenant_id, user_id, client_id, scopes, resource, created_at) VALUES (?1, ?2, 'first', 's', 'r', 1)",
                  tenant, user)
        let grant = try c.queryOne("SELECT max(id) FROM oauth_grants") { $0.int64(0) }!
        try c.run("""
            INSERT INTO oauth_codes (tenant_id, code_hash, grant_id, redirect_uri, code_challenge, resource, scopes, created_at, expires_at)
            VALUES (?1, ?2, ?3, 'https://app.example/cb', 'challenge', 'r', 's', 1, 2)
            """, tenant, [UInt8]([9, 9]), grant)
        // Token 50 was rotated from token 100: read in id order, the child comes first.
        for (id, parent) in [(Int64(100), Int64?.none), (50, 100)] {
            try c.run("""
                INSERT INTO oauth_refresh_tokens (id, tenant_id, token_hash, grant_id, family_id, parent_id, scopes, created_at, expires_at)
                VALUES (?1, ?2, ?3, ?4, 100, ?5, 's', 1, 2)
                """, id, tenant, [UInt8]([UInt8(id)]), grant, parent)
        }
        try c.run("""
            INSERT INTO login_sessions (tenant_id, user_id, session_hash, csrf, created_at, expires_at, user_agent)
            VALUES (?1, ?2, ?3, 'csrf', 1, 2, 'curl/8')
            """, tenant, user, [UInt8]([7]))
        try c.run("UPDATE login_sessions SET revoked_at = 4")
        try c.run("INSERT INTO security_events (tenant_id, actor_user_id, kind, created_at) VALUES (?1, ?2, 'login', 5)", tenant, user)
        try c.run("INSERT INTO durability_probe (sequence, written_at) VALUES (1, 6)")
        // The processes' shared state (migration 10).
        try c.run("INSERT INTO deployment_secrets (name, secret, created_at) VALUES ('k', ?1, 7)", [UInt8](repeating: 9, count: 32))
        try c.run("INSERT INTO mcp_session_ends (session_digest, tenant_id, ended_at) VALUES ('d1', ?1, 8)", tenant)
        try c.run("INSERT INTO pending_authorizations (id_digest, tenant_id, login_session_id, request_json, created_at) VALUES ('p1', ?1, 3, '{}', 9)", tenant)
        try c.run("INSERT INTO page_flashes (id_digest, tenant_id, login_session_id, sealed, created_at) VALUES ('f1', ?1, 3, ?2, 10)", tenant, [UInt8]([1, 2, 3]))
        try c.run("INSERT INTO rate_windows (window_key, window_start, count) VALUES ('w1', 11, 2)")
    }
}

/// Every table's every row, each as one line of its values, sorted (the engines sort text
/// differently, so rows are compared as sets).
private func contents(of location: String) throws -> [String: [String]] {
    let db = try Database.open(path: location)
    defer { db.close() }
    return try db.withReader { conn in
        try conn.snapshot {
            var tables: [String: [String]] = [:]
            for table in CopyPlan.tables {
                let columns = try CopyCatalog(connection: conn).columns(of: table.name)
                let list = columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
                var rows: [String] = []
                try conn.readRows("SELECT \(list) FROM \"\(table.name)\"", bindings: []) { row in
                    rows.append(columns.indices.map { "\(columns[$0].name)=\(columns[$0].value(in: row, at: Int32($0)))" }
                        .joined(separator: " | "))
                }
                tables[table.name] = rows.sorted()
            }
            return tables
        }
    }
}

/// Which tickets and messages SQLite's full-text indexes find for a few words (the per-ticket
/// documents too), and whether the bulk-write switch of migration 14 was left on.
private func searchHits(_ path: String) throws -> [[Int64]] {
    let db = try Database.open(path: path)
    defer { db.close() }
    return try db.withReader { conn in
        try ["printer", "vpn", "invoice", "password"].flatMap { word in
            [try conn.queryAll("SELECT rowid FROM ticket_subject_search WHERE ticket_subject_search MATCH ?1 ORDER BY rowid", word) { $0.int64(0) },
             try conn.queryAll("SELECT rowid FROM message_body_search WHERE message_body_search MATCH ?1 ORDER BY rowid", word) { $0.int64(0) },
             try conn.queryAll("SELECT rowid FROM ticket_words WHERE ticket_words MATCH ?1 ORDER BY rowid", word) { $0.int64(0) }]
        } + [try conn.queryAll("SELECT only FROM ticket_words_paused") { $0.int64(0) }]
    }
}

/// The tickets SQLite's per-ticket documents find for `word`.
private func sqliteWordHits(_ path: String, _ word: String) throws -> [Int64] {
    let db = try Database.open(path: path)
    defer { db.close() }
    return try db.withReader { c in
        try c.queryAll("SELECT rowid FROM ticket_words WHERE ticket_words MATCH ?1 ORDER BY rowid", word) { $0.int64(0) }
    }
}

/// `tgenabled` of every trigger the migrations made in the connection's schema.
private func postgresTriggerStates(_ connection: any SQLConnection) throws -> [String] {
    try connection.queryAll("""
        SELECT t.tgenabled::text FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal AND n.nspname = current_schema()
        """) { $0.string(0) }
}

/// Every index of the connection's schema: its name and definition.
private func postgresIndexes(_ connection: any SQLConnection) throws -> [String] {
    try connection.queryAll("""
        SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname
        """) { $0.string(0) }
}

/// Every foreign key of the connection's schema: table, name, definition, and whether validated.
private func postgresForeignKeys(_ connection: any SQLConnection) throws -> [String] {
    try connection.queryAll("""
        SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) || ' ' || k.convalidated::text
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND k.contype = 'f' ORDER BY 1
        """) { $0.string(0) }
}

private func withSQLite<T: Sendable>(_ path: String, _ body: @escaping @Sendable (any SQLConnection) throws -> T) throws -> T {
    let db = try Database.open(path: path)
    defer { db.close() }
    return try db.write { tx in try body(tx.connection) }
}

private func withDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let dir = NSTemporaryDirectory() + "deskgate-copy-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try body(dir)
}

/// A schema of its own in the test database, standing in for an empty database (the test role
/// may not create databases): its URL puts the schema first on the search path, and `public`
/// after it for the `unaccent` extension, which lives there.
private struct ScratchSchema {
    let base: String
    let name = "copy_" + UUID().uuidString.prefix(8).lowercased()

    var url: String { base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(name)%2Cpublic" }

    init(base: String) throws {
        self.base = base
        // Migrating the database itself first creates the extension in `public`.
        let db = try Database.open(path: base)
        defer { db.close() }
        let name = self.name
        try db.write { tx in try tx.connection.execute(script: "CREATE SCHEMA \(name)") }
    }

    func drop() {
        guard let db = try? Database.open(path: base) else { return }
        defer { db.close() }
        let name = self.name
        _ = try? db.write { tx in try tx.connection.execute(script: "DROP SCHEMA \(name) CASCADE") }
    }
}
