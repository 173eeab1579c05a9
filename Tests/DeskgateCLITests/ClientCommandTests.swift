import DeskgateCrypto
import Foundation
import Testing

@Suite("deskgate client and app")
struct ClientCommandTests {
    func workspace() -> CLIWorkspace {
        let workspace = CLIWorkspace()
        #expect(workspace.run("init").status == 0)
        #expect(workspace.run("tenant", "create", "acme", "--name", "Acme").status == 0)
        return workspace
    }

    @Test func createListDeleteAPreregisteredClient() throws {
        let workspace = workspace()
        let created = workspace.run("--json", "client", "create", "--tenant", "acme", "--name", "Ops console",
                                    "--redirect-uri", "https://ops.example.com/cb", "--redirect-uri", "http://127.0.0.1/cb")
        #expect(created.status == 0)
        let document = try #require(created.json as? [String: Any])
        let clientID = try #require(document["client_id"] as? String)
        let secret = try #require(document["client_secret"] as? String)
        #expect(document["kind"] as? String == "preregistered")
        #expect(document["token_endpoint_auth_method"] as? String == "client_secret_basic")
        #expect(document["redirect_uris"] as? [String] == ["https://ops.example.com/cb", "http://127.0.0.1/cb"])

        let listed = workspace.run("--json", "client", "list", "--tenant", "acme")
        #expect(listed.status == 0 && !listed.out.contains(secret))
        #expect((listed.json as? [[String: Any]])?.map { $0["client_id"] as? String } == [clientID])

        let text = workspace.run("client", "create", "--tenant", "acme", "--name", "Tool", "--redirect-uri",
                                 "com.example.tool:/cb", "--type", "native", "--auth-method", "none")
        #expect(text.status == 0 && text.out.hasPrefix("client_id: dgp_") && !text.out.contains("client_secret"))

        #expect(workspace.run("client", "delete", "--tenant", "acme", clientID).status == 0)
        let gone = workspace.run("client", "delete", "--tenant", "acme", clientID)
        #expect(gone.status == 1 && gone.err.contains("not found"))
    }

    @Test func refusalsAndUsage() {
        let workspace = workspace()
        let http = workspace.run("client", "create", "--tenant", "acme", "--name", "Bad", "--redirect-uri", "http://evil.example/cb")
        #expect(http.status == 1 && http.err.contains("invalid_redirect_uri"))
        #expect(workspace.run("client", "create", "--tenant", "acme", "--name", "No redirect").status == 2)
        #expect(workspace.run("app", "revoke", "--tenant", "acme", "abc").status == 2)
        let missing = workspace.run("app", "revoke", "--tenant", "acme", "42")
        #expect(missing.status == 1 && missing.err.contains("not found"))
        #expect(workspace.run("--json", "app", "list", "--tenant", "acme").out.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        #expect(workspace.run("app", "list", "--tenant", "nobody").status == 1)
        let purged = workspace.run("--json", "client", "purge")
        #expect(purged.status == 0 && (purged.json as? [String: Any])?["purged"] as? Int == 0)
    }
}
