@testable import DeskgateSQLite
import DeskgateSQL
import Testing
@testable import DeskgateStore
import DeskgateModel

@Suite struct MigrationTests {
    @Test func appliesOnEmptyDatabase() throws {
        try withDatabase { db in
            let (versions, tables) = try db.withReader { conn throws in
                (try conn.queryAll("SELECT version FROM schema_migrations") { $0.int(0) },
                 try conn.queryAll("SELECT name FROM sqlite_schema WHERE type = 'table'") { $0.string(0) })
            }
            #expect(versions == Migration.all.map(\.version))
            for table in ["tenants", "users", "departments", "department_members", "contacts", "workflows",
                          "workflow_versions", "workflow_nodes", "workflow_transitions", "workflow_fields",
                          "workflow_field_permissions", "workflow_permissions", "tickets", "ticket_field_values",
                          "ticket_participants", "messages", "tags", "ticket_tags", "activity",
                          "personal_access_tokens", "signing_keys", "oauth_clients", "oauth_grants", "oauth_codes",
                          "oauth_refresh_tokens", "login_sessions", "security_events", "revocation_counter",
                          "ticket_subject_search", "message_body_search"] {
                #expect(tables.contains(table), "missing table \(table)")
            }
            #expect(try db.withReader { try $0.pragma("user_version") } == String(Migration.latestVersion))
        }
    }

    @Test func reopeningAppliesNothingAndKeepsData() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/deskgate.sqlite"
            let first = try Database.open(path: path)
            _ = try first.write { tx in try TenantDirectory().create(slug: "acme", name: "Acme", in: tx) }
            first.close()

            let second = try Database.open(path: path)
            defer { second.close() }
            let applied = try second.write { tx in try Migrator().migrate(tx.connection) }
            #expect(applied.isEmpty)
            let rows = try second.withReader { try $0.queryOne("SELECT count(*) FROM schema_migrations") { $0.int(0) } }
            #expect(rows == Migration.all.count)
            #expect(try second.withReader { try TenantDirectory().bySlug("acme", on: $0) }?.name == "Acme")
        }
    }

    @Test func refusesDatabaseFromNewerBinary() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/deskgate.sqlite"
            let db = try Database.open(path: path)
            try db.write { tx throws in
                try tx.connection.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
            }
            db.close()
            #expect(throws: StoreError.schemaTooNew(databaseVersion: 999, knownVersion: Migration.latestVersion)) {
                try Database.open(path: path)
            }
        }
    }

    @Test func failedMigrationLeavesNoTrace() throws {
        var configuration = DatabaseConfiguration()
        configuration.migrations = [
            Migration(version: 1, name: "ok", sql: "CREATE TABLE a (x INTEGER);"),
            Migration(version: 2, name: "broken", sql: "CREATE TABLE b (y INTEGER); CREATE TABLE oops ("),
        ]
        try withTemporaryDirectory { dir in
            let path = dir + "/deskgate.sqlite"
            #expect {
                try Database.open(path: path, configuration: configuration)
            } throws: { error in
                if case StoreError.migrationFailed(2, "broken", _) = error { true } else { false }
            }
            let conn = try SQLiteConnection(path: path, readOnly: true, busyTimeoutMilliseconds: 100)
            #expect(try Migrator().currentVersion(conn) == 1)
            #expect(try conn.queryOne("SELECT count(*) FROM sqlite_schema WHERE name = 'b'") { $0.int(0) } == 0)
        }
    }
}
