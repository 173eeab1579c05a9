import DeskgateHTTP
import DeskgateJSON
import Testing
@testable import DeskgateAuth
import DeskgateDesk
import DeskgateIdentity
import DeskgateStore
import DeskgateModel

/// The auth server's two vocabularies for a tenant it cannot serve: pages for people, OAuth
/// JSON for clients. acme is open, initech suspended, nobody unknown.
struct TenantAnswerTests {
    static func decisions() throws -> (PageFixture, [String: TenantDecision]) {
        let fixture = try PageFixture()
        _ = try TenantService(database: fixture.database).create(slug: "initech", name: "Initech")
        _ = try TenantService(database: fixture.database).setStatus(.suspended, slug: "initech")
        var decisions: [String: TenantDecision] = [:]
        for slug in ["acme", "initech", "nobody"] {
            decisions[slug] = try fixture.database.withReader { try TenantGate().decide(slug, on: $0) }
        }
        return (fixture, decisions)
    }

    @Test(arguments: [
        ("acme", nil as Int?, nil as String?),
        ("initech", 403, "Help desk suspended"),
        ("nobody", 404, "There is no help desk here."),
    ])
    func pages(slug: String, status: Int?, text: String?) throws {
        let (_, decisions) = try Self.decisions()
        switch TenantPages.open(decisions[slug]!) {
        case .success(let tenant):
            #expect(status == nil && tenant.slug == slug)
        case .failure(let refusal):
            #expect(refusal.response.status.code == status)
            #expect(refusal.response.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(String(decoding: refusal.response.body, as: UTF8.self).contains(text ?? "-"))
        }
    }

    @Test(arguments: [
        ("acme", nil as Int?, nil as String?, nil as String?),
        ("initech", 403, "access_denied", "tenant 'initech' is suspended"),
        ("nobody", 404, "not_found", "no such tenant"),
    ])
    func oauth(slug: String, status: Int?, error: String?, description: String?) throws {
        let (_, decisions) = try Self.decisions()
        switch OAuthResponses.open(decisions[slug]!) {
        case .success(let tenant):
            #expect(status == nil && tenant.slug == slug)
        case .failure(let refusal):
            #expect(refusal.response.status.code == status)
            #expect(refusal.response.headers["cache-control"] == "no-store")
            let body = try JSONParser.parse(String(decoding: refusal.response.body, as: UTF8.self)).objectValue
            #expect(body?["error"]?.stringValue == error)
            #expect(body?["error_description"]?.stringValue == description)
        }
    }

    /// The signed-in pages (profile, admin) go through the same gate, before any session check.
    @Test func aSuspendedTenantsProfileIsTheSuspendedPage() throws {
        let (fixture, _) = try Self.decisions()
        var request = fixture.request("/t/initech/profile/mcp")
        request.pathParameters = ["tenant": "initech"]
        guard case .failure(let refusal) = try fixture.resolve(request) else {
            Issue.record("a suspended tenant's page was served")
            return
        }
        #expect(refusal.response.status == .forbidden)
        #expect(String(decoding: refusal.response.body, as: UTF8.self).contains("Help desk suspended"))
    }
}
