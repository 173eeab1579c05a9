import DeskgateDemo
import DeskgateCrypto
import Foundation
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateStore
import DeskgateModel

@Suite("Workflow import and export")
struct WorkflowServiceTests {
    /// The demo tenant: its people and departments are what the documented examples name.
    func demo() throws -> (Database, TenantScope, TenantScope) {
        let database = try Database.open(path: NSTemporaryDirectory() + "deskgate-wf-\(UUID().uuidString)/db.sqlite")
        var options = DemoDataGenerator.Options()
        options.tickets = 5
        options.passwordHasher = PasswordHasher(logN: 10, r: 8, p: 1)
        options.workflows = false
        let acme = try DemoDataGenerator(database: database).run(options) { _, _ in }.tenant.scope
        options.tenantSlug = "globex"
        let globex = try DemoDataGenerator(database: database).run(options) { _, _ in }.tenant.scope
        return (database, acme, globex)
    }

    @Test func importStoresTheWholeGraphAndReimportIsIdempotent() throws {
        let (database, acme, _) = try demo()
        defer { database.close() }
        let service = WorkflowService(database: database, scope: acme)
        let text = try WorkflowExamples.text("refund-approval.json")
        let first = try service.importDocument(text)
        #expect(first.outcome == .created && first.version == 1)
        let size = try database.withReader { db in
            try acme.workflows.graphSize(versionID: try acme.workflows.currentVersion(of: first.workflow.id, on: db)!.id, on: db)
        }
        #expect(size.fields == 6 && size.nodes == 10 && size.transitions == 13 && size.fieldPermissions == 12)
        let again = try service.importDocument(text)
        #expect(again.outcome == .unchanged && again.version == 1)
        // What export prints imports as "unchanged": the round trip loses nothing.
        #expect(try service.importDocument(try service.export("Refund approval")).outcome == .unchanged)
        #expect(try service.list().map(\.versionCount) == [1])
    }

    @Test func aChangedDocumentBecomesTheNextVersionAndTheOldOneIsKept() throws {
        let (database, acme, _) = try demo()
        defer { database.close() }
        let service = WorkflowService(database: database, scope: acme)
        let text = try WorkflowExamples.text("it-access-request.json")
        let v1 = try service.importDocument(text)
        let v2 = try service.importDocument(text.replacingOccurrences(of: "\"Provision access\"", with: "\"Grant access\""))
        #expect(v2.outcome == .newVersion && v2.version == 2 && v2.workflow.id == v1.workflow.id)
        #expect(try service.export(String(v1.workflow.id)).contains("Grant access"))
        #expect(try service.export("IT access request", version: 1).contains("Provision access"))
        let statuses = try database.withReader { db in
            try [1, 2].map { try acme.workflows.version($0, of: v1.workflow.id, on: db)!.status }
        }
        #expect(statuses == [.archived, .default])
    }

    @Test func unresolvedNamesRefuseTheWholeDocument() throws {
        let (database, acme, _) = try demo()
        defer { database.close() }
        let service = WorkflowService(database: database, scope: acme)
        let text = try WorkflowExamples.text("it-access-request.json")
        let cases = [("\"lee@acme.test\"", "\"nobody@acme.test\"", "nodes[4].participant.value"),
                     ("\"lee@acme.test\"", "\"viewer@acme.test\"", "nodes[4].participant.value"),   // viewers never act
                     ("{\"permission\": \"view\", \"department\": \"IT\"}",
                      "{\"permission\": \"view\", \"department\": \"Legal\"}", "permissions[0].department")]
        for (old, new, field) in cases {
            let error = deskError { _ = try service.importDocument(text.replacingOccurrences(of: old, with: new)) }
            guard case .invalid(let reported, _)? = error else {
                Issue.record("expected invalid for \(new), got \(String(describing: error))")
                continue
            }
            #expect(reported == field)
        }
        #expect(try service.list().isEmpty)   // no partial write: not even the workflow row
    }

    @Test func workflowsBelongToTheirTenant() throws {
        let (database, acme, globex) = try demo()
        defer { database.close() }
        let imported = try WorkflowService(database: database, scope: acme).importDocument(try WorkflowExamples.text("it-access-request.json"))
        let foreign = WorkflowService(database: database, scope: globex)
        #expect(try foreign.list().isEmpty)
        #expect(deskError { _ = try foreign.export(String(imported.workflow.id)) } == .notFound("workflow '\(imported.workflow.id)'"))
        #expect(deskError { _ = try foreign.export("IT access request") } == .notFound("workflow 'IT access request'"))
    }
}
