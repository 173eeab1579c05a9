import DeskgateCrypto
import DeskgateHTTP
import DeskgateTesting
import Testing
@testable import DeskgateAuth

/// `/oauth/authorize` and the consent page end to end through the router, in process: what a
/// browser and a client see (status, page, Location and its parameters).
struct AuthorizeEndpointTests {
    @Test func anUnknownClientGetsAPageAndNoRedirect() async throws {
        let fixture = try EndpointFixture()
        let target = "/t/acme/oauth/authorize?" + FormURLEncoding.encode([
            ("response_type", "code"), ("client_id", "nobody"), ("redirect_uri", "https://evil.example/cb")])
        let response = try await fixture.http.get(target)
        #expect(response.status.code == 400)
        #expect(response.headers["location"] == nil)
        #expect(response.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(response.bodyText.contains("This app is not registered with Acme Support."))
    }

    @Test(arguments: [
        ("code_challenge_method", "plain" as String?, "code_challenge_method must be S256 (plain is not allowed)"),
        ("code_challenge", nil, "PKCE is required: send code_challenge with code_challenge_method=S256"),
        ("code_challenge", "too-short", "code_challenge must be the base64url SHA-256 of the verifier (43 characters)"),
    ])
    func badPKCEGoesBackToTheClient(parameter: String, value: String?, description: String) async throws {
        let fixture = try EndpointFixture()
        let response = try await fixture.http.get(fixture.authorizeTarget(verifier: PKCE.generateVerifier(), [parameter: value]))
        #expect(response.status.code == 302)
        #expect(response.headers["location"]?.hasPrefix(EndpointFixture.redirect + "?error=invalid_request&") == true)
        #expect(EndpointFixture.redirectParameters(response)
            == ["error": "invalid_request", "error_description": description, "state": "st1", "iss": fixture.issuer])
    }

    @Test func aSignedOutBrowserIsSentToLoginWithTheRequest() async throws {
        let fixture = try EndpointFixture()
        let target = fixture.authorizeTarget(verifier: PKCE.generateVerifier())
        let response = try await fixture.http.get(target)
        #expect(response.status.code == 303)
        #expect(response.headers["location"] == "/t/acme/login?next=" + FormURLEncoding.escape(target))
    }

    @Test func rememberedConsentAnswersWithACodeThatRedeems() async throws {
        let fixture = try EndpointFixture()
        let verifier = PKCE.generateVerifier()
        _ = try fixture.approveBefore(verifier: verifier)
        let response = try await fixture.http.get(fixture.authorizeTarget(verifier: verifier, ["scope": "tickets:read"]),
                                            headers: [try fixture.signedIn()])
        #expect(response.status.code == 302)
        let answer = EndpointFixture.redirectParameters(response)
        #expect(answer["state"] == "st1" && answer["iss"] == fixture.issuer)
        let code = try #require(answer["code"])
        let redeemed = try await fixture.token([("grant_type", "authorization_code"), ("code", code),
                                          ("redirect_uri", EndpointFixture.redirect), ("code_verifier", verifier)])
        #expect(redeemed.status == 200 && redeemed.body["scope"]?.stringValue == "tickets:read")
    }

    @Test func consentIsAnsweredOnce() async throws {
        let fixture = try EndpointFixture()
        let cookie = try fixture.signedIn()
        let page = try await fixture.http.get(fixture.authorizeTarget(verifier: PKCE.generateVerifier()), headers: [cookie])
        #expect(page.status.code == 200)
        let requestID = try #require(Self.hiddenField("request", in: page.bodyText))
        let csrf = try #require(Self.hiddenField("csrf", in: page.bodyText))
        let form = [("csrf", csrf), ("request", requestID), ("decision", "deny")]
        let denied = try await fixture.http.post("/t/acme/consent", form: form, headers: [cookie])
        #expect(denied.status.code == 303)
        #expect(EndpointFixture.redirectParameters(denied)
            == ["error": "access_denied", "error_description": "the user denied the request", "state": "st1", "iss": fixture.issuer])
        let again = try await fixture.http.post("/t/acme/consent", form: form, headers: [cookie])
        #expect(again.status.code == 400 && again.bodyText.contains("Request expired"))
    }

    static func hiddenField(_ name: String, in html: String) -> String? {
        guard let start = html.firstRange(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }
}
