import Foundation
import Testing
import DeskgateCLI

@Suite("deskgate audit / tenant settings --audit-retention-days")
struct AuditCommandTests {
    @Test func anEmptyLogExportsItsHeaderAndBadOptionsAreRefused() throws {
        let workspace = CLIWorkspace()
        #expect(workspace.run("init").status == 0)
        #expect(workspace.run("tenant", "create", "acme", "--name", "Acme").status == 0)
        let csv = workspace.run("audit", "export", "--tenant", "acme", "--since", "7d")
        #expect(csv.status == 0)
        #expect(csv.out == "id,at,tenant,user_id,user_email,token_id,client_id,tool,args_digest,tickets,outcome,reason,duration_ms,process\r\n")
        #expect(workspace.run("audit", "export", "--tenant", "acme", "--format", "jsonl", "--until", "2026-12-01T09:30:00Z").out == "")
        for bad in [["--format", "xml"], ["--since", "yesterday"], ["--since", "7w"], ["--outcome", "fine"], ["extra"]] {
            #expect(workspace.run(["audit", "export", "--tenant", "acme"] + bad).status == 2, "\(bad)")
        }
        #expect(workspace.run("audit", "export", "--tenant", "nope").status == 1)
        #expect(workspace.run("audit", "export", "--tenant", "acme", "--agent", "nobody@acme.test").status == 1)
        #expect(workspace.run("audit", "export").status == 2)

        let swept = workspace.run("--json", "audit", "sweep")
        #expect(swept.status == 0 && (swept.json as? [String: Any])?["deleted"] as? Int == 0)
    }

    @Test func retentionIsATenantSetting() throws {
        let workspace = CLIWorkspace()
        #expect(workspace.run("init").status == 0)
        #expect(workspace.run("tenant", "create", "acme", "--name", "Acme").status == 0)
        let shown = try #require(workspace.run("--json", "tenant", "settings", "acme").json as? [String: Any])
        #expect(shown["audit_retention_days"] as? Int == 90)
        let set = try #require(workspace.run("--json", "tenant", "settings", "acme", "--audit-retention-days", "0").json as? [String: Any])
        #expect(set["audit_retention_days"] as? Int == 0)
        #expect(workspace.run("tenant", "settings", "acme").out.contains("MCP audit log: kept forever"))
        #expect(workspace.run("tenant", "settings", "acme", "--audit-retention-days", "-1").status == 2)
        #expect(workspace.run("tenant", "settings", "acme", "--audit-retention-days", "36501").status == 2)
    }
}

extension CLIWorkspace {
    func run(_ arguments: [String]) -> Outcome {
        let terminal = Terminal.capturing()
        let status = CLI.run(arguments: ["--database", database, "--keys", directory + "/keys"] + arguments,
                             environment: [:], terminal: terminal)
        return Outcome(status: status, out: terminal.capturedOutput, err: terminal.capturedErrors)
    }
}
