import DeskgateSQL
import Foundation
import Testing
@testable import DeskgateDesk
import DeskgateStore
import DeskgateModel

/// Issue 16: with statistics from before a second tenant's bulk load, one `ticket_list` call ran
/// 5.5 minutes. Statistics are refreshed now, but between a load and the next refresh they are
/// stale, so the hot statements must not depend on them: each one, recorded as the domain issues
/// it (`HotStatements`), must get the same `EXPLAIN QUERY PLAN` with no statistics, fresh ones,
/// and stale ones of every harmful kind (`PlanStabilityFixture.states`). SQLite only:
/// PostgreSQL's statistics are kept current by autovacuum (docs/storage.md). No plan in any state
/// may read a whole table either.
/// `DESKGATE_PLANS_OUT=<file>` writes every statement with its plan per state.
@Suite struct PlanStabilityTests {
    /// A plan as indented lines (`EXPLAIN QUERY PLAN` rows by parent).
    static func plan(_ statement: RecordingConnection.Statement, on db: any SQLConnection) throws -> String {
        let rows = try db.queryAll("EXPLAIN QUERY PLAN " + statement.sql, bindings: statement.bindings) {
            (id: $0.int64(0), parent: $0.int64(1), detail: $0.string(3))
        }
        var depth: [Int64: Int] = [0: -1]
        // A Bloom filter only skips lookups that would find nothing: the access path is the same.
        return rows.filter { !$0.detail.hasPrefix("BLOOM FILTER ON ") }.map { row in
            let level = (depth[row.parent] ?? -1) + 1
            depth[row.id] = level
            return String(repeating: "  ", count: level) + Self.pointLookup(row.detail)
        }.joined(separator: "\n")
    }

    /// One row by its key reads the same few pages whichever key finds it: the rowid, or the
    /// unique `(tenant_id, id)` index; such steps read alike, so they compare equal.
    static func pointLookup(_ step: String) -> String {
        guard step.hasPrefix("SEARCH "), let using = step.range(of: " USING ") else { return step }
        let keys = ["(rowid=?)", "(tenant_id=? AND id=?)", "(tenant_id=? AND id=? AND rowid=?)"]
        guard keys.contains(where: { step.hasSuffix(" " + $0) }) else { return step }
        return String(step[..<using.lowerBound]) + " BY KEY"
    }

    /// Steps that read a stored table or index whole: a `SCAN` of a table (not of a virtual
    /// table, nor of a sub-query the plan builds), or a skip-scan (`ANY(…)`) over an index.
    static func wholeReads(_ plan: String) -> [String] {
        let steps = plan.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let built = Set(steps.compactMap { step -> String? in
            for prefix in ["CO-ROUTINE ", "MATERIALIZE "] where step.hasPrefix(prefix) { return String(step.dropFirst(prefix.count)) }
            return nil
        })
        return steps.filter { step in
            if step.contains("ANY(") { return true }
            guard step.hasPrefix("SCAN "), !step.contains("VIRTUAL TABLE"), step != "SCAN CONSTANT ROW" else { return false }
            return !built.contains(String(step.dropFirst("SCAN ".count)))
        }
    }

    @Test func wholeReadsAreFound() {
        #expect(Self.wholeReads("SCAN users") == ["SCAN users"])
        #expect(Self.wholeReads("SEARCH p USING PRIMARY KEY (ANY(tenant_id) AND user_id=?)").count == 1)
        #expect(Self.wholeReads("CO-ROUTINE hits\n  SCAN ticket_words VIRTUAL TABLE INDEX 0:M1\nSCAN hits").isEmpty)
        #expect(Self.wholeReads("SCAN CONSTANT ROW\nSEARCH t BY KEY").isEmpty)
    }

    @Test func hotStatementsKeepTheirPlanWhateverTheStatistics() throws {
        let fixture = try PlanStabilityFixture()
        let hot = try HotStatements.record(fixture)
        for state in fixture.states {
            #expect(state.rows.map { !$0.isEmpty } ?? true, "statistics '\(state.name)' were not captured")
        }
        #expect(hot.count > 60, "recorded \(hot.count) distinct statements")
        // A statement nothing pins: its index choice follows the statistics, which shows that
        // each state really is the one the planner reads.
        let control = RecordingConnection.Statement(sql: """
            SELECT id FROM tickets WHERE tenant_id = ?1 AND status = ?2 AND assignee_id = ?3 AND department_id = ?4
            """, bindings: [.integer(1), .text("open"), .integer(2), .integer(3)])
        var plans: [[String]] = []   // [statement][state]
        var controlPlans: Set<String> = []
        for state in fixture.states {
            try fixture.install(state)
            let reader = try fixture.database.openReader()
            controlPlans.insert(try Self.plan(control, on: reader))
            for (index, recorded) in hot.enumerated() {
                let plan = try Self.plan(recorded.statement, on: reader)
                if index == plans.count { plans.append([]) }
                plans[index].append(plan)
            }
        }
        #expect(controlPlans.count > 1, "the statistics states did not change any plan")
        var report = ""
        for (recorded, byState) in zip(hot, plans) {
            let same = Set(byState).count == 1
            report += "## \(recorded.label)\(same ? "" : " — DIFFERS")\n\(recorded.statement.sql)\n"
            for (state, plan) in zip(fixture.states, byState) where !same || state.name == "fresh" {
                report += "-- \(state.name)\n\(plan)\n"
            }
            report += "\n"
            for (state, plan) in zip(fixture.states, byState) {
                #expect(Self.wholeReads(plan).isEmpty, "\(recorded.label), statistics \(state.name): reads a whole table\n\(plan)")
            }
            #expect(same, """
                \(recorded.label): the plan depends on the statistics
                \(recorded.statement.sql)
                \(zip(fixture.states, byState).map { "-- \($0.name)\n\($1)" }.joined(separator: "\n"))
                """)
        }
        if let path = ProcessInfo.processInfo.environment["DESKGATE_PLANS_OUT"] {
            try report.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
