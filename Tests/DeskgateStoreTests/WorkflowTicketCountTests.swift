@testable import DeskgateSQLite
import DeskgateSQL
import Testing
@testable import DeskgateStore
import DeskgateModel

/// `ticket_list`'s totals for an admin's whole tenant come from migration 9's per-bucket counts;
/// they must equal counting the tickets, for every window and after every kind of change.
@Suite struct WorkflowTicketCountTests {
    private let bucket = Schema9.bucketMilliseconds

    /// The plan's buckets and ranges cover the window exactly once, in order.
    @Test func plansPartitionTheWindow() {
        let points: [Int64?] = [nil, .min, -1, 0, 1, bucket - 1, bucket, bucket + 1, 3 * bucket - 1, 3 * bucket,
                                5 * bucket + 7, .max - bucket, .max - bucket + 1, .max]
        for from in points {
            for to in points {
                let plan = WorkflowTicketCount.plan(from: from, to: to)
                var pieces = plan.ranges
                if let b = plan.buckets { pieces.append((b.lowerBound * bucket)...((b.upperBound + 1) * bucket - 1)) }
                pieces.sort { $0.lowerBound < $1.lowerBound }
                let low = from ?? .min, high = to ?? .max
                guard low <= high else { #expect(pieces.isEmpty); continue }
                #expect(pieces.first?.lowerBound == low, "\(String(describing: from))...\(String(describing: to))")
                #expect(pieces.last?.upperBound == high, "\(String(describing: from))...\(String(describing: to))")
                for (a, b) in zip(pieces, pieces.dropFirst()) { #expect(a.upperBound &+ 1 == b.lowerBound) }
                // Edges never span more than one bucket: what is counted row by row stays small.
                for range in plan.ranges where range.lowerBound >= 0 && range.upperBound <= .max - bucket {
                    #expect(range.upperBound - range.lowerBound < 2 * bucket)
                }
            }
        }
        #expect(WorkflowTicketCount.plan(from: 0, to: 3 * bucket - 1) == .init(buckets: 0...2, ranges: []))
        #expect(WorkflowTicketCount.plan(from: 10, to: 20) == .init(buckets: nil, ranges: [10...20]))
    }

    private func workflowVersion(_ scope: TenantScope, in tx: WriteTransaction) throws -> Int64 {
        try tx.connection.run("INSERT INTO workflows (tenant_id, name, created_at) VALUES (?1, 'Access', 0)", scope.tenantID)
        let workflow = try tx.connection.lastInsertRowID
        try tx.connection.run("""
            INSERT INTO workflow_versions (tenant_id, workflow_id, version, status, created_at) VALUES (?1, ?2, 1, 'default', 0)
            """, scope.tenantID, workflow)
        return try tx.connection.lastInsertRowID
    }

    /// Counting the tickets one by one: what the totals must equal.
    private func counted(_ scope: TenantScope, _ from: Int64?, _ to: Int64?, on db: any SQLConnection) throws -> Int {
        try db.queryOne("""
            SELECT count(*) FROM tickets WHERE tenant_id = ?1 AND workflow_version_id IS NOT NULL
            AND created_at >= ?2 AND created_at <= ?3
            """, scope.tenantID, from ?? .min, to ?? .max) { $0.int(0) } ?? 0
    }

    private func expectExact(_ scope: TenantScope, in db: Database, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let edges: [Int64?] = [nil, -5, 0, bucket - 1, bucket, 2 * bucket + 3, 4 * bucket - 1, 4 * bucket, 7 * bucket, 9 * bucket + 1]
        try db.withReader { conn throws in
            for from in edges {
                for to in edges {
                    let total = try WorkflowTicketCount.total(tenantID: scope.tenantKey, from: from, to: to, on: conn)
                    #expect(total == (try counted(scope, from, to, on: conn)),
                            "\(String(describing: from))...\(String(describing: to))", sourceLocation: sourceLocation)
                }
            }
        }
    }

    /// Creation times on and beside bucket edges, in two tenants, beside help-desk tickets.
    private func seed(_ scope: TenantScope, version: Int64, in tx: WriteTransaction) throws -> [Ticket] {
        var tickets: [Ticket] = []
        for k in Int64(0)...8 {
            for offset: Int64 in [-1, 0, 1, bucket / 2] where k * bucket + offset >= 0 {
                tickets.append(try scope.tickets.create(NewTicket(subject: "wf \(k) \(offset)", workflowVersionID: version,
                                                                  createdAt: k * bucket + offset), in: tx))
                _ = try scope.tickets.create(NewTicket(subject: "desk \(k)", createdAt: k * bucket + offset), in: tx)
            }
        }
        return tickets
    }

    @Test func totalsEqualCountingAfterEveryChange() throws {
        try withDatabase { db in
            let a = try seedTenant("a", word: "alpha", in: db)
            let b = try seedTenant("b", word: "beta", in: db)
            let tickets = try db.write { tx throws in
                _ = try seed(b.scope, version: try workflowVersion(b.scope, in: tx), in: tx)
                return try seed(a.scope, version: try workflowVersion(a.scope, in: tx), in: tx)
            }
            try expectExact(a.scope, in: db)
            try expectExact(b.scope, in: db)

            try db.write { tx throws in
                // Deleted, moved in time, taken out of its workflow, put back in one.
                try tx.connection.run("DELETE FROM tickets WHERE id = ?1", tickets[3].id)
                try tx.connection.run("UPDATE tickets SET created_at = ?2 WHERE id = ?1", tickets[5].id, 6 * bucket + 11)
                try tx.connection.run("UPDATE tickets SET workflow_version_id = NULL WHERE id = ?1", tickets[7].id)
                try tx.connection.run("""
                    UPDATE tickets SET workflow_version_id = (SELECT workflow_version_id FROM tickets WHERE id = ?2)
                    WHERE tenant_id = ?3 AND workflow_version_id IS NULL AND created_at = ?4
                    """, tickets[7].id, tickets[0].id, a.scope.tenantID, 2 * bucket)
            }
            try expectExact(a.scope, in: db)
            try expectExact(b.scope, in: db)
            // Handling a ticket changes none of the counted columns: its bucket stays as it was.
            let before = try db.withReader { try WorkflowTicketCount.total(tenantID: a.scope.tenantKey, from: nil, to: nil, on: $0) }
            try db.write { tx throws in
                try a.scope.ticketFlow.updateTicket(tickets[9], nodeID: nil, actState: .finished, status: .resolved,
                                                    assigneeID: nil, at: 99, in: tx)
            }
            #expect(try db.withReader { try WorkflowTicketCount.total(tenantID: a.scope.tenantKey, from: nil, to: nil, on: $0) } == before)
        }
    }

    /// A database from before migration 9 gets its buckets filled from the tickets it holds.
    @Test func theMigrationCountsExistingTickets() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/deskgate.sqlite"
            var before = DatabaseConfiguration()
            before.migrations = Migration.all.filter { $0.version < 9 }
            let old = try Database.open(path: path, configuration: before)
            // Only a tenant and its tickets: today's user rows need columns a version-8 schema lacks.
            let scope = try old.write { tx throws in
                let scope = try TenantDirectory().create(slug: "a", name: "A", in: tx).scope
                _ = try seed(scope, version: try workflowVersion(scope, in: tx), in: tx)
                return scope
            }
            old.close()

            let db = try Database.open(path: path, configuration: DatabaseConfiguration())
            defer { db.close() }
            #expect(try db.withReader { try $0.queryOne("SELECT sum(tickets) FROM workflow_ticket_months") { $0.int(0) } } == 35)
            try expectExact(scope, in: db)
        }
    }
}
