import DeskgateSQL
import Foundation
import Testing
@testable import DeskgateStore
import DeskgateModel

/// Row-level security on PostgreSQL (migration 11): the servers' role, which owns no table,
/// sees only the rows of the tenant a statement binds, none before one is named, and cannot
/// write another tenant's rows or take the wall down. Runs inside `scripts/with-postgres`
/// (it creates the `deskgate_server` role, DESKGATE_TEST_SERVER_ROLE).
// Serialized: two tests granting the server role at once race on PostgreSQL's catalog
// ("tuple concurrently updated").
@Suite("Row-level security on PostgreSQL", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] != nil
                && ProcessInfo.processInfo.environment["DESKGATE_TEST_SERVER_ROLE"] != nil))
struct RowSecurityTests {
    private let ownerURL = ProcessInfo.processInfo.environment["DESKGATE_TEST_DATABASE_URL"] ?? ""
    private let role = ProcessInfo.processInfo.environment["DESKGATE_TEST_SERVER_ROLE"] ?? ""

    /// The owner's URL with the server role's name (same password in the test cluster).
    private var serverURL: String {
        ownerURL.replacingOccurrences(of: "postgresql://deskgate:", with: "postgresql://\(role):")
    }

    private func slug() -> String { "rls-" + UUID().uuidString.prefix(8).lowercased() }

    @Test func theServerRoleSeesOnlyTheTenantAStatementNames() throws {
        let owner = try Database.open(path: ownerURL)
        defer { owner.close() }
        let a = try seedTenant(slug(), word: "alpha", in: owner)
        let b = try seedTenant(slug(), word: "beta", in: owner)
        try ServerRole.grant(role, at: DatabaseLocation(ownerURL))
        let everyTicket = try owner.withReader { try $0.queryOne("SELECT count(*) FROM tickets") { $0.int(0) } } ?? 0
        #expect(everyTicket >= 2, "the owner is not bound by the policies")

        let server = try Database.open(path: serverURL)   // migrations find nothing to do: no DDL as this role
        defer { server.close() }
        try server.withReader { conn throws in
            // No tenant named yet: a query without any tenant filter sees nothing.
            #expect(try conn.queryOne("SELECT count(*) FROM tickets") { $0.int(0) } == 0)
            #expect(try conn.queryOne("SELECT count(*) FROM users") { $0.int(0) } == 0)
            // A statement that binds tenant A but forgets to filter on it sees A's rows only.
            #expect(try conn.queryOne("SELECT count(*) FROM tickets WHERE ?1 IS NOT NULL", a.scope.tenantKey) { $0.int(0) } == 1)
            #expect(try conn.queryOne("SELECT min(tenant_id) FROM messages WHERE ?1 > 0", b.scope.tenantKey) { $0.int64(0) }
                    == b.scope.tenantID)
            // The repositories work as ever, and a row id of another tenant is not found.
            #expect(try a.scope.tickets.byID(a.ticket.id, on: conn)?.subject == "Printer alpha on fire")
            #expect(try b.scope.tickets.byID(a.ticket.id, on: conn) == nil)
            // The deployment-wide statements see every tenant, and the wall closes again after.
            // (Other tests add tenants to this database meanwhile: count these two.)
            #expect(try conn.acrossTenants {
                try conn.queryOne("SELECT count(*) FROM tickets WHERE tenant_id IN (?1, ?2)", a.scope.tenantID, b.scope.tenantID) { $0.int(0) }
            } == 2)
            #expect(try conn.queryOne("SELECT count(*) FROM tickets") { $0.int(0) } == 0)
        }
        // Writing a row of tenant B while the statement names tenant A is refused.
        #expect(throws: StoreError.self) {
            try server.write { tx in
                try tx.connection.run("INSERT INTO tags (tenant_id, name, created_at) VALUES (?2, 'smuggled', 1) RETURNING ?1",
                                      a.scope.tenantKey, b.scope.tenantID)
            }
        }
        // The role cannot take the wall down: it owns no table.
        #expect(throws: StoreError.self) {
            try server.write { tx in try tx.connection.execute(script: "ALTER TABLE tickets DISABLE ROW LEVEL SECURITY") }
        }
        // And it does write its own tenant's rows.
        try server.write { tx in _ = try a.scope.tags.ensure(name: "walled", in: tx) }
        #expect(try owner.withReader { try a.scope.tags.byName("walled", on: $0) } != nil)
    }

    /// Every table with a tenant column is walled: a table a later migration adds without a
    /// policy fails here, not in production.
    @Test func everyTenantOwnedTableHasThePolicy() throws {
        let owner = try Database.open(path: ownerURL)
        defer { owner.close() }
        let open = try owner.withReader { conn in
            try conn.queryAll("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN information_schema.columns col ON col.table_schema = n.nspname AND col.table_name = c.relname
                WHERE n.nspname = current_schema() AND c.relkind = 'r' AND col.column_name = 'tenant_id'
                  AND NOT (c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
                ORDER BY 1
                """) { $0.string(0) }
        }
        #expect(open == ["mcp_session_ends"])
    }

    /// Migration 24: every wall reads its tenant once per statement (its subqueries are
    /// InitPlans), not once per row: a later table walled the old way fails here, and so does a
    /// search function that tests the wall the old way (migration 25).
    @Test func everyWallReadsItsTenantOncePerStatement() throws {
        let owner = try Database.open(path: ownerURL)
        defer { owner.close() }
        let (walls, perRow) = try owner.withReader { conn in
            try conn.queryOne("""
                SELECT count(*), count(*) FILTER (WHERE pg_get_expr(p.polqual, p.polrelid) NOT LIKE '%SELECT deskgate_wall_tenant()%'
                                                     OR pg_get_expr(p.polwithcheck, p.polrelid) NOT LIKE '%SELECT deskgate_wall_tenant()%')
                FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema()
                """) { ($0.int(0), $0.int(1)) } ?? (0, 0)
        }
        #expect(walls > 30)
        #expect(perRow == 0)
        // The search functions, which keep the wall themselves (migration 25).
        let functions = try owner.withReader { conn in
            try conn.queryAll("""
                SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = current_schema() AND p.prosrc LIKE '%deskgate_row_visible%' ORDER BY 1
                """) { $0.string(0) }
        }
        #expect(functions == [])
    }

    /// Migration 15's search functions run as the tables' owner: they keep the wall themselves,
    /// and the searches that go through them still find the named tenant's tickets.
    @Test func theSearchFunctionsKeepTheWall() throws {
        let owner = try Database.open(path: ownerURL)
        defer { owner.close() }
        let a = try TitleSearchTests.seed(owner, slug: slug())
        let b = try TitleSearchTests.seed(owner, slug: slug())
        try ServerRole.grant(role, at: DatabaseLocation(ownerURL))
        let server = try Database.open(path: serverURL)
        defer { server.close() }
        try server.withReader { conn throws in
            #expect(try conn.queryOne("SELECT count(*) FROM deskgate_title_matches('%vpn%', NULL)") { $0.int(0) } == 0)
            #expect(try conn.queryOne("SELECT count(*) FROM deskgate_title_matches('%vpn%', NULL) WHERE ?1 IS NOT NULL",
                                      a.scope.tenantKey) { $0.int(0) } == 1)
            // The workflow ticket and the help-desk ticket of tenant A; none of B's, even by B's id.
            #expect(try conn.queryOne("SELECT count(*) FROM deskgate_word_matches(?1, deskgate_search_all('vpn'), NULL)",
                                      a.scope.tenantKey) { $0.int(0) } == 2)
            #expect(try conn.queryOne("""
                SELECT count(*) FROM deskgate_word_matches(?2, deskgate_search_all('vpn'), NULL) WHERE ?1 IS NOT NULL
                """, a.scope.tenantKey, b.scope.tenantID) { $0.int(0) } == 0)
            var filter = WorkflowTicketFilter(category: .all, userID: a.user, departmentIDs: [], isTenantAdmin: true)
            filter.search = "vpn"
            #expect(try a.scope.ticketFlow.list(filter, limit: 10, offset: 0, on: conn).tickets.map(\.subject) == ["VPN access for Lee"])
            var search = TicketFilter()
            search.text = "vpn"
            #expect(try b.scope.tickets.find(search, on: conn).map(\.ticket.subject) == ["VPN access for Lee", "VPN access for Lee"])
        }
    }

    @Test(arguments: ["deskgate_server", "_x1"]) func plainRoleNamesAreAccepted(_ name: String) {
        #expect(ServerRole.isPlainIdentifier(name))
    }

    @Test(arguments: ["", "1abc", "a\"b", "a b", "a;drop", "ä"]) func otherRoleNamesAreRefused(_ name: String) {
        #expect(!ServerRole.isPlainIdentifier(name))
    }
}
