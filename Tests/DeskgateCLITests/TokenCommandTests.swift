import DeskgateCrypto
import Foundation
import Testing

@Suite("deskgate token")
struct TokenCommandTests {
    /// A workspace with tenant acme and agent dana.
    func workspace() -> CLIWorkspace {
        let workspace = CLIWorkspace()
        #expect(workspace.run("init").status == 0)
        #expect(workspace.run("tenant", "create", "acme", "--name", "Acme").status == 0)
        #expect(workspace.run("user", "create", "--tenant", "acme", "--email", "dana@acme.test", "--name", "Dana",
                              "--role", "agent").status == 0)
        return workspace
    }

    @Test func createListRevokeWithJSON() throws {
        let workspace = workspace()
        let created = workspace.run("--json", "token", "create", "--tenant", "acme", "--user", "dana@acme.test",
                                    "--name", "laptop", "--scope", "tickets:read", "--scope", "directory:read",
                                    "--expires-in-days", "30")
        #expect(created.status == 0)
        let document = try #require(created.json as? [String: Any])
        let token = try #require(document["token"] as? String)
        #expect(OpaqueToken.hasValidChecksum(token, prefix: "dgpat_"))
        #expect(document["masked"] as? String == "dgpat_…" + token.suffix(4))
        #expect(document["name"] as? String == "laptop")
        #expect(document["scopes"] as? [String] == ["tickets:read", "directory:read"])
        #expect(document["expires_at"] is String)
        let id = try #require(document["id"] as? Int)

        let listed = workspace.run("--json", "token", "list", "--tenant", "acme")
        #expect(listed.status == 0)
        #expect(!listed.out.contains(token))
        #expect(!listed.out.contains(String(token.dropFirst(6))))
        #expect(!listed.out.lowercased().contains(OpaqueToken.storageHash(token)))
        let rows = try #require(listed.json as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows[0]["id"] as? Int == id)
        #expect(rows[0]["user"] as? String == "dana@acme.test")
        #expect(rows[0]["status"] as? String == "active")
        #expect(rows[0]["last_used_at"] is NSNull)
        #expect(rows[0]["token"] == nil)

        let revoked = workspace.run("--json", "token", "revoke", "--tenant", "acme", String(id))
        #expect(revoked.status == 0)
        #expect((revoked.json as? [String: Any])?["status"] as? String == "revoked")
        let again = workspace.run("token", "revoke", "--tenant", "acme", String(id))
        #expect(again.status == 1)
        #expect(again.err.contains("already revoked"))
        let mine = try #require(workspace.run("--json", "token", "list", "--tenant", "acme", "--user", "dana@acme.test").json
                                as? [[String: Any]])
        #expect(mine.map { $0["status"] as? String } == ["revoked"])
    }

    @Test func textModePrintsTheTokenAloneAndWarnsOnce() throws {
        let workspace = workspace()
        let created = workspace.run("token", "create", "--tenant", "acme", "--user", "dana@acme.test")
        #expect(created.status == 0)
        let token = created.out.trimmingCharacters(in: .newlines)
        #expect(OpaqueToken.hasValidChecksum(token, prefix: "dgpat_"))
        #expect(created.err.contains("will not be shown again"))
        let table = workspace.run("token", "list", "--tenant", "acme")
        #expect(table.out.contains("dgpat_…" + token.suffix(4)))
        #expect(table.out.contains("active"))
        #expect(!table.out.contains(token))
    }

    @Test func refusalsSayWhatToFix() {
        let workspace = workspace()
        let badScope = workspace.run("token", "create", "--tenant", "acme", "--user", "dana@acme.test", "--scope", "admin")
        #expect(badScope.status == 1)
        #expect(badScope.err.contains("valid scopes: tickets:read, tickets:write, directory:read"))
        // Two calendar years from today are 730 or 731 days; 732 is always too long.
        let tooLong = workspace.run("token", "create", "--tenant", "acme", "--user", "dana@acme.test", "--expires-in-days", "732")
        #expect(tooLong.status == 1)
        #expect(tooLong.err.contains("1 and 730") || tooLong.err.contains("1 and 731"))
        #expect(workspace.run("token", "create", "--tenant", "acme", "--user", "dana@acme.test",
                              "--expires-in-days", "soon").status == 2)
        #expect(workspace.run("token", "revoke", "--tenant", "acme", "latest").status == 2)
        #expect(workspace.run("token", "create", "--tenant", "acme").status == 2)
        #expect(workspace.run("token", "create", "--tenant", "acme", "--user", "nobody@acme.test").status == 1)
        for _ in 1...10 {
            #expect(workspace.run("token", "create", "--tenant", "acme", "--user", "dana@acme.test").status == 0)
        }
        let eleventh = workspace.run("token", "create", "--tenant", "acme", "--user", "dana@acme.test")
        #expect(eleventh.status == 1)
        #expect(eleventh.out.isEmpty)
        #expect(eleventh.err.contains("the limit is 10 per user"))
        #expect(eleventh.err.contains("deskgate token revoke --tenant acme ID"))
    }
}
