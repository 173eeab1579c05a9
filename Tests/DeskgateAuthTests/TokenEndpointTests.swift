import DeskgateCrypto
import DeskgateHTTP
import DeskgateTesting
import Testing
@testable import DeskgateAuth

/// `/oauth/token` through the router, in process: the grant rules as a client sees them,
/// status and `error` / `error_description` exactly.
struct TokenEndpointTests {
    @Test(arguments: [
        ([] as [(String, String)], "invalid_request", "grant_type is required"),
        ([("grant_type", "password")], "unsupported_grant_type", "grant_type 'password' is not supported"),
        ([("grant_type", "authorization_code")], "invalid_request", "code is required"),
        ([("grant_type", "refresh_token")], "invalid_request", "refresh_token is required"),
        ([("grant_type", "authorization_code"), ("code", "nope"), ("redirect_uri", EndpointFixture.redirect),
          ("code_verifier", PKCE.generateVerifier())], "invalid_grant", "unknown authorization code"),
    ])
    func grantRules(form: [(String, String)], error: String, description: String) async throws {
        let fixture = try EndpointFixture()
        let answer = try await fixture.token(form)
        #expect(answer.status == 400)
        #expect(answer.body["error"]?.stringValue == error)
        #expect(answer.body["error_description"]?.stringValue == description)
    }

    @Test func aCodeWithTheWrongVerifierIsRefused() async throws {
        let fixture = try EndpointFixture()
        let code = try fixture.approveBefore(verifier: PKCE.generateVerifier())
        let answer = try await fixture.token([("grant_type", "authorization_code"), ("code", code),
                                        ("redirect_uri", EndpointFixture.redirect), ("code_verifier", PKCE.generateVerifier())])
        #expect(answer.status == 400)
        #expect(answer.body["error"]?.stringValue == "invalid_grant")
        #expect(answer.body["error_description"]?.stringValue == "code_verifier does not match the code_challenge (PKCE)")
    }

    @Test func aCodePresentedTwiceRevokesWhatItMinted() async throws {
        let fixture = try EndpointFixture()
        let verifier = PKCE.generateVerifier()
        let code = try fixture.approveBefore(verifier: verifier)
        let form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", EndpointFixture.redirect),
                    ("code_verifier", verifier)]
        let first = try await fixture.token(form)
        #expect(first.status == 200)
        let second = try await fixture.token(form)
        #expect(second.status == 400)
        #expect(second.body["error_description"]?.stringValue
            == "the authorization code was already used; every token issued from it is revoked")
        let refresh = try #require(first.body["refresh_token"]?.stringValue)
        let afterReplay = try await fixture.token([("grant_type", "refresh_token"), ("refresh_token", refresh)])
        #expect(afterReplay.body["error"]?.stringValue == "invalid_grant")
    }

    @Test func refreshRotatesAndAReusedTokenRevokesTheAuthorization() async throws {
        let fixture = try EndpointFixture(reuseGraceSeconds: 0)
        let verifier = PKCE.generateVerifier()
        let code = try fixture.approveBefore(verifier: verifier)
        let issued = try await fixture.token([("grant_type", "authorization_code"), ("code", code),
                                        ("redirect_uri", EndpointFixture.redirect), ("code_verifier", verifier)])
        let first = try #require(issued.body["refresh_token"]?.stringValue)
        let rotated = try await fixture.token([("grant_type", "refresh_token"), ("refresh_token", first)])
        #expect(rotated.status == 200)
        let second = try #require(rotated.body["refresh_token"]?.stringValue)
        #expect(second != first && second.hasPrefix("dgrt_"))
        // Past the grace window, the rotated token again is theft: the whole authorization goes.
        let reused = try await fixture.token([("grant_type", "refresh_token"), ("refresh_token", first)])
        #expect(reused.status == 400)
        #expect(reused.body["error_description"]?.stringValue == "the refresh token was already used; the authorization is revoked")
        let successor = try await fixture.token([("grant_type", "refresh_token"), ("refresh_token", second)])
        #expect(successor.body["error"]?.stringValue == "invalid_grant")
        #expect(successor.body["error_description"]?.stringValue == "the authorization was revoked")
    }

    @Test func withinTheGraceWindowBothRefreshesSucceed() async throws {
        let fixture = try EndpointFixture(reuseGraceSeconds: 10)
        let verifier = PKCE.generateVerifier()
        let code = try fixture.approveBefore(verifier: verifier)
        let issued = try await fixture.token([("grant_type", "authorization_code"), ("code", code),
                                        ("redirect_uri", EndpointFixture.redirect), ("code_verifier", verifier)])
        let first = try #require(issued.body["refresh_token"]?.stringValue)
        #expect(try await fixture.token([("grant_type", "refresh_token"), ("refresh_token", first)]).status == 200)
        #expect(try await fixture.token([("grant_type", "refresh_token"), ("refresh_token", first)]).status == 200)
    }
}
