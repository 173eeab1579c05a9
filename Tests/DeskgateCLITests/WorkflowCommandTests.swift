import Foundation
import Testing

@Suite("deskgate workflow")
struct WorkflowCommandTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/workflows").path

    @Test func importListExportRoundTrip() throws {
        let workspace = CLIWorkspace()
        #expect(workspace.run("demo", "--tickets", "3").status == 0)
        // The demo tenant already has the documented workflows: importing one again changes nothing.
        let again = workspace.run("--json", "workflow", "import", "--tenant", "acme", Self.examples + "/it-access-request.json")
        #expect((again.json as? [String: Any])?["outcome"] as? String == "unchanged")

        let text = try String(contentsOfFile: Self.examples + "/it-access-request.json", encoding: .utf8)
        let copy = workspace.directory + "/copy.json"
        try text.replacingOccurrences(of: "\"IT access request\"", with: "\"Hardware request\"")
            .write(toFile: copy, atomically: true, encoding: .utf8)
        let created = workspace.run("--json", "workflow", "import", "--tenant", "acme", copy)
        #expect(created.status == 0)
        let result = try #require(created.json as? [String: Any])
        #expect(result["outcome"] as? String == "created" && result["version"] as? Int == 1)

        let listed = try #require(workspace.run("--json", "workflow", "list", "--tenant", "acme").json as? [[String: Any]])
        #expect(listed.map { $0["name"] as? String } == ["Hardware request", "IT access request", "Refund approval"])
        #expect(listed.map { $0["tickets"] as? Int } == [0, 9, 6])   // IT: 7 requests and the 2 sub-tickets of one

        let exported = workspace.run("workflow", "export", "--tenant", "acme", "Hardware request")
        #expect(exported.status == 0)
        let file = workspace.directory + "/exported.json"
        try exported.out.write(toFile: file, atomically: true, encoding: .utf8)
        let roundTrip = workspace.run("--json", "workflow", "import", "--tenant", "acme", file)
        #expect((roundTrip.json as? [String: Any])?["outcome"] as? String == "unchanged")
    }

    @Test func refusalsSayWhatToFix() {
        let workspace = CLIWorkspace()
        #expect(workspace.run("demo", "--tickets", "3").status == 0)
        let missing = workspace.run("workflow", "import", "--tenant", "acme", workspace.directory + "/nope.json")
        #expect(missing.status == 1 && missing.err.contains("cannot read"))
        let broken = workspace.directory + "/broken.json"
        _ = FileManager.default.createFile(atPath: broken, contents: Data(#"{"name": "X", "nodes": [], "transitions": []}"#.utf8))
        let invalid = workspace.run("workflow", "import", "--tenant", "acme", broken)
        #expect(invalid.status == 1 && invalid.err.contains("exactly one start node"))
        #expect(workspace.run("workflow", "export", "--tenant", "acme", "Nothing").err.contains("not found"))
        #expect(workspace.run("workflow", "frobnicate", "--tenant", "acme").status == 2)
    }
}

@Suite("deskgate tenant settings")
struct TenantSettingsCommandTests {
    @Test func toolFamiliesAndReadOnlyMode() throws {
        let workspace = CLIWorkspace()
        #expect(workspace.run("demo", "--tickets", "1").status == 0)
        let shown = try #require(workspace.run("--json", "tenant", "settings", "acme").json as? [String: Any])
        #expect(shown["tool_families"] as? [String] == ["helpdesk", "workflow"] && shown["read_only"] as? Bool == false)
        let changed = try #require(workspace.run("--json", "tenant", "settings", "acme", "--tool-families", "workflow",
                                                 "--read-only", "on").json as? [String: Any])
        #expect(changed["tool_families"] as? [String] == ["workflow"] && changed["read_only"] as? Bool == true)
        #expect(workspace.run("tenant", "settings", "acme", "--tool-families", "tickets").status == 2)
        #expect(workspace.run("tenant", "settings", "acme", "--read-only", "maybe").status == 2)
        #expect(workspace.run("tenant", "settings", "nope").status == 1)
    }
}
