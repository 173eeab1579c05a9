import Foundation
import Testing

@Suite("deskgate user role / deactivate")
struct AdminCommandTests {
    @Test func roleChangeAndDeactivationRevokeTheTokens() throws {
        let workspace = CLIWorkspace()
        #expect(workspace.run("init").status == 0)
        #expect(workspace.run("tenant", "create", "acme", "--name", "Acme").status == 0)
        #expect(workspace.run("user", "create", "--tenant", "acme", "--email", "dana@acme.test", "--name", "Dana",
                              "--role", "agent").status == 0)
        let created = try #require(workspace.run("--json", "token", "create", "--tenant", "acme", "--user", "dana@acme.test").json
                                   as? [String: Any])
        let id = try #require(created["id"] as? Int)

        let viewer = try #require(workspace.run("--json", "user", "role", "--tenant", "acme", "--email", "dana@acme.test",
                                                "--role", "viewer").json as? [String: Any])
        #expect(viewer["role"] as? String == "viewer")
        #expect(workspace.run("user", "role", "--tenant", "acme", "--email", "dana@acme.test", "--role", "boss").status != 0)

        let deactivated = workspace.run("--json", "user", "deactivate", "--tenant", "acme", "--email", "dana@acme.test")
        #expect(deactivated.status == 0)
        #expect((deactivated.json as? [String: Any])?["active"] as? Bool == false)
        let tokens = try #require(workspace.run("--json", "token", "list", "--tenant", "acme").json as? [[String: Any]])
        #expect(tokens.first { $0["id"] as? Int == id }?["status"] as? String == "revoked")
        // Twice is refused, and an unknown user is not found.
        #expect(workspace.run("user", "deactivate", "--tenant", "acme", "--email", "dana@acme.test").status != 0)
        #expect(workspace.run("user", "deactivate", "--tenant", "acme", "--email", "nobody@acme.test").status != 0)
    }
}
