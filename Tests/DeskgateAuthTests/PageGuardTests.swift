import DeskgateConfig
import DeskgateCrypto
import DeskgateHTTP
import Foundation
import Testing
@testable import DeskgateAuth
import DeskgateDesk
import DeskgateIdentity
import DeskgateStore
import DeskgateModel

/// A database with tenant acme, an admin and an agent who can sign in, and the auth service.
final class PageFixture {
    let directory = NSTemporaryDirectory() + "deskgate-pages-\(UUID().uuidString)"
    let database: Database
    let service: AuthService
    let tenant: Tenant
    static let password = "correct horse battery staple"

    init() throws {
        database = try Database.open(path: directory + "/db.sqlite")
        tenant = try TenantService(database: database).create(slug: "acme", name: "Acme Support")
        let directoryService = DirectoryService(database: database, scope: tenant.scope)
        _ = try directoryService.createAgent(AgentDraft(email: "admin@acme.test", name: "Ada", role: .admin, password: Self.password))
        _ = try directoryService.createAgent(AgentDraft(email: "dana@acme.test", name: "Dana", role: .agent, password: Self.password))
        service = AuthService(storage: Storage(database), configuration: DeskgateConfiguration())
    }

    deinit {
        database.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Signs `email` in; the session cookie's value.
    func signIn(_ email: String) throws -> (cookie: String, session: SignedIn) {
        guard case .success(let cookie, let session) = try service.sessions.signIn(
            email: email, password: Self.password, tenant: tenant.scope, address: "127.0.0.1", userAgent: nil) else {
            throw DeskError.forbidden("sign-in failed")
        }
        return (cookie, session)
    }

    func request(_ target: String, method: String = "GET", cookies: [(String, String)] = []) -> Request {
        var headers: [(String, String)] = []
        if !cookies.isEmpty { headers.append(("Cookie", cookies.map { "\($0.0)=\($0.1)" }.joined(separator: "; "))) }
        var request = Request(method: method, target: target, headers: HTTPHeaders(headers))
        request.pathParameters = ["tenant": "acme"]
        return request
    }

    func resolve(_ request: Request, _ requirement: PageGuard.Requirement = .signedIn) throws -> Result<SignedInPage, Refusal> {
        try database.withReader { try PageGuard.resolve(request, service: service, requirement: requirement, on: ReadHandle($0)) }
    }
}

struct PageGuardTests {
    @Test func aSignedOutBrowserIsSentToLoginWithThePageAsNext() throws {
        let fixture = try PageFixture()
        guard case .failure(let refusal) = try fixture.resolve(fixture.request("/t/acme/profile/mcp?tab=apps")) else {
            Issue.record("a signed-out request got the page")
            return
        }
        #expect(refusal.response.status == .seeOther)
        let location = refusal.response.headers["location"]
        #expect(location == "/t/acme/login?next=%2Ft%2Facme%2Fprofile%2Fmcp%3Ftab%3Dapps")
        // And login gives the same path back after sign-in.
        let next = PercentDecoding.decode(Substring(location!.split(separator: "=", maxSplits: 1)[1]))
        #expect(LoginEndpoint.safeNext(next, slug: "acme") == "/t/acme/profile/mcp?tab=apps")
    }

    @Test func loginLocationNeverCarriesAnUnsafeOrPostTarget() {
        #expect(PageGuard.loginLocation(slug: "acme", method: "POST", path: "/t/acme/profile/mcp/tokens", query: nil)
            == "/t/acme/login")
        #expect(PageGuard.loginLocation(slug: "acme", method: "GET", path: "/t/acme//evil.example", query: nil)
            == "/t/acme/login")
        #expect(PageGuard.loginLocation(slug: "acme", method: "GET", path: "/t/acme/admin", query: "")
            == "/t/acme/login?next=%2Ft%2Facme%2Fadmin")
    }

    @Test func anExpiredOrForgedCookieIsSignedOut() throws {
        let fixture = try PageFixture()
        let forged = String(repeating: "A", count: 43)
        let result = try fixture.resolve(fixture.request("/t/acme/profile/mcp", cookies: [("dg_session", forged)]))
        guard case .failure(let refusal) = result else {
            Issue.record("a forged cookie got the page")
            return
        }
        #expect(refusal.response.status == .seeOther)
        #expect(refusal.response.headers.values("set-cookie").contains { $0.hasPrefix("dg_session=;") })
    }

    @Test func theAdminRequirementAnswers403WithAPageForAnAgentAndPassesAnAdmin() throws {
        let fixture = try PageFixture()
        let agent = try fixture.signIn("dana@acme.test")
        guard case .failure(let refusal) = try fixture.resolve(
            fixture.request("/t/acme/admin", cookies: [("dg_session", agent.cookie)]), .admin) else {
            Issue.record("an agent passed the admin guard")
            return
        }
        #expect(refusal.response.status == .forbidden)
        #expect(String(decoding: refusal.response.body, as: UTF8.self).contains("Admins only"))
        #expect(refusal.response.headers["content-security-policy"]?.contains("frame-ancestors 'none'") == true)

        let admin = try fixture.signIn("admin@acme.test")
        guard case .success(let page) = try fixture.resolve(
            fixture.request("/t/acme/admin", cookies: [("dg_session", admin.cookie)]), .admin) else {
            Issue.record("the admin was refused")
            return
        }
        #expect(page.user.email == "admin@acme.test" && page.isAdmin && page.csrf == admin.session.csrf)
        #expect(page.base == "/t/acme" && page.tenant.name == "Acme Support")
    }

    @Test func csrfMustMatchTheSessionsToken() {
        #expect(PageGuard.csrfMatches("abc123", "abc123"))
        #expect(!PageGuard.csrfMatches("abc124", "abc123"))
        #expect(!PageGuard.csrfMatches(nil, "abc123"))
        #expect(!PageGuard.csrfMatches("", ""))
    }

    @Test func aFlashFollowsTheRedirectOnceAndOnlyForItsSession() throws {
        let fixture = try PageFixture()
        let dana = try fixture.signIn("dana@acme.test")
        guard case .success(let page) = try fixture.resolve(
            fixture.request("/t/acme/profile/mcp/tokens", method: "POST", cookies: [("dg_session", dana.cookie)])) else {
            Issue.record("refused")
            return
        }
        let redirect = try page.redirect(to: "/t/acme/profile/mcp", flash: .success("Token created", reveal: "dgpat_secret"))
        #expect(redirect.status == .seeOther && redirect.headers["location"] == "/t/acme/profile/mcp")
        let setCookie = try #require(redirect.headers.values("set-cookie").first { $0.hasPrefix("dg_flash=") })
        #expect(!setCookie.contains("dgpat_secret"), "the secret never goes into a cookie")
        // Nor, readably, into the database: the row is sealed under a key only the cookie holds.
        let stored = try fixture.database.withReader { try $0.queryAll("SELECT sealed FROM page_flashes") { $0.blob(0) } }
        #expect(stored.count == 1)
        #expect(!stored.contains { String(decoding: $0, as: UTF8.self).contains("dgpat") })
        let id = String(setCookie.dropFirst("dg_flash=".count).prefix { $0 != ";" })

        // Another session presenting the id gets nothing, and the id is spent.
        let other = try fixture.signIn("admin@acme.test")
        let stolen = try fixture.resolve(fixture.request("/t/acme/profile/mcp",
                                                         cookies: [("dg_session", other.cookie), ("dg_flash", id)]))
        guard case .success(let otherPage) = stolen else { Issue.record("refused"); return }
        #expect(otherPage.flash == nil && otherPage.clearsFlashCookie)
        let spent = try fixture.resolve(fixture.request("/t/acme/profile/mcp",
                                                        cookies: [("dg_session", dana.cookie), ("dg_flash", id)]))
        guard case .success(let spentPage) = spent else { Issue.record("refused"); return }
        #expect(spentPage.flash == nil, "the id was spent by the other session's attempt")

        // Its own session sees it exactly once.
        let again = try page.redirect(to: "/t/acme/profile/mcp", flash: .success("Token created", reveal: "dgpat_secret"))
        let cookie = try #require(again.headers.values("set-cookie").first { $0.hasPrefix("dg_flash=") })
        let freshID = String(cookie.dropFirst("dg_flash=".count).prefix { $0 != ";" })
        let first = try fixture.resolve(fixture.request("/t/acme/profile/mcp",
                                                        cookies: [("dg_session", dana.cookie), ("dg_flash", freshID)]))
        guard case .success(let shown) = first else { Issue.record("refused"); return }
        #expect(shown.flash == .success("Token created", reveal: "dgpat_secret"))
        let html = shown.html(title: "MCP Integration", content: "<h1>MCP</h1>")
        #expect(html.headers.values("set-cookie").contains { $0.hasPrefix("dg_flash=;") })
        #expect(String(decoding: html.body, as: UTF8.self).contains("Token created"))
        let second = try fixture.resolve(fixture.request("/t/acme/profile/mcp",
                                                         cookies: [("dg_session", dana.cookie), ("dg_flash", freshID)]))
        guard case .success(let reloaded) = second else { Issue.record("refused"); return }
        #expect(reloaded.flash == nil)
    }

    @Test func aStaleFlashIsNotShown() throws {
        let fixture = try PageFixture()
        let storage = Storage(fixture.database)
        let early = FlashStore(storage: storage, clock: { 1_000 })
        let late = FlashStore(storage: storage, clock: { 1_001 + FlashStore.lifetimeMilliseconds })
        let onTime = FlashStore(storage: storage, clock: { 2_000 })
        let id = try early.put(.error("late"), tenant: fixture.tenant, sessionID: 1)
        #expect(try late.take(id, tenant: fixture.tenant, sessionID: 1) == nil)
        let fresh = try early.put(.error("on time"), tenant: fixture.tenant, sessionID: 1)
        #expect(try onTime.take(fresh, tenant: fixture.tenant, sessionID: 1) == .error("on time"))
        #expect(try onTime.take(fresh, tenant: fixture.tenant, sessionID: 1) == nil)
        // A cookie whose key was altered opens nothing (and spends the row).
        let sealed = try early.put(.error("sealed"), tenant: fixture.tenant, sessionID: 1)
        let forged = String(sealed.prefix { $0 != "." }) + "." + Base64URL.encode(SecureRandom.bytes(32))
        #expect(try onTime.take(forged, tenant: fixture.tenant, sessionID: 1) == nil)
        #expect(try onTime.take(sealed, tenant: fixture.tenant, sessionID: 1) == nil)
    }

    @Test func fieldErrorsMarkTheInputAndSitNextToIt() {
        var errors = FieldErrors()
        #expect(errors.attributes("name").isEmpty && errors.message("name").isEmpty)
        errors.add("name", "Use at most 100 characters <here>.")
        #expect(errors.attributes("name") == " aria-invalid=\"true\" aria-describedby=\"name-error\"")
        #expect(errors.message("name") == "<p class=\"field-error\" id=\"name-error\">Use at most 100 characters &lt;here&gt;.</p>")
        #expect(!errors.isEmpty && errors.order == ["name"])
    }
}

/// The pages on a tenant's own host (custom domains): no `/t/acme` in redirects, `next` or cookie paths.
struct PageGuardOnHostTests {
    @Test func aSignedOutBrowserOnTheHostIsSentToTheHostsLogin() throws {
        let fixture = try PageFixture()
        var request = fixture.request("/t/acme/profile/mcp?tab=apps")   // as the host routing rewrote it
        request.routedHost = "help.acme.example"
        guard case .failure(let refusal) = try fixture.resolve(request) else {
            Issue.record("a signed-out request got the page")
            return
        }
        #expect(refusal.response.headers["location"] == "/login?next=%2Fprofile%2Fmcp%3Ftab%3Dapps")
        #expect(refusal.response.headers["set-cookie"]?.contains("Path=/;") == true)
    }

    @Test(arguments: [
        ("/profile/mcp?tab=apps", "/profile/mcp?tab=apps"),
        ("/admin", "/admin"),
        ("/t/acme/profile/mcp", "/profile/mcp"),      // another URL layout: the host's fallback
        ("/t/globex/admin", "/profile/mcp"),
        ("//evil.example/x", "/profile/mcp"),
        ("/\\evil.example", "/profile/mcp"),
        ("https://evil.example/", "/profile/mcp"),
        ("/profile/../../x", "/profile/mcp"),
        (nil, "/profile/mcp"),
    ] as [(String?, String)])
    func safeNextOnTheHost(_ next: String?, _ expected: String) {
        #expect(LoginEndpoint.safeNext(next, slug: "acme", host: "help.acme.example") == expected)
    }

    @Test func loginLocationOnTheHost() {
        #expect(PageGuard.loginLocation(slug: "acme", method: "GET", path: "/admin", query: nil, host: "help.acme.example")
            == "/login?next=%2Fadmin")
        #expect(PageGuard.loginLocation(slug: "acme", method: "POST", path: "/profile/mcp/tokens", query: nil,
                                        host: "help.acme.example") == "/login")
    }
}
