import DeskgateCLI
import Foundation
import Testing

/// `deskgate store copy` as an operator types it (the copy itself: StoreCopyTests).
@Suite("store copy command")
struct StoreCommandTests {
    @Test func copiesTheConfiguredDatabaseAndPrintsEachTablesCounts() throws {
        let workspace = CLIWorkspace()
        #expect(workspace.run("init").status == 0)
        #expect(workspace.run("tenant", "create", "globex", "--name", "Globex").status == 0)
        let target = workspace.directory + "/copy.sqlite"
        let copied = workspace.run("--json", "store", "copy", "--to", target)
        #expect(copied.status == 0, "\(copied.err)")
        let report = try #require(copied.json as? [String: Any])
        let tables = try #require(report["tables"] as? [[String: Any]])
        let tenants = try #require(tables.first { $0["table"] as? String == "tenants" })
        #expect(tenants["source"] as? Int == 1 && tenants["target"] as? Int == 1)
        #expect(report["search_indexes_rebuilt"] as? [String] == ["message_body_search", "ticket_subject_search", "workflow_subject_trigrams", "ticket_words"])
        // Not a terminal: one plain line per table on stderr, no bar.
        #expect(copied.err.contains("copied tenants: 1 rows"))
        #expect(!copied.err.contains("\u{1B}"))

        let again = workspace.run("store", "copy", "--from", workspace.database, "--to", target)
        #expect(again.status == 1)
        #expect(again.err.contains("is not empty"))
    }

    @Test func needsATarget() {
        let outcome = CLIWorkspace().run("store", "copy")
        #expect(outcome.status == 2)
        #expect(outcome.err.contains("--to is required"))
    }

    @Test func refusesAMissingSource() {
        let workspace = CLIWorkspace()
        let outcome = workspace.run("store", "copy", "--to", workspace.directory + "/copy.sqlite")
        #expect(outcome.status == 1)
        #expect(outcome.err.contains("no database at"))
        #expect(!FileManager.default.fileExists(atPath: workspace.directory + "/copy.sqlite"))
    }
}
