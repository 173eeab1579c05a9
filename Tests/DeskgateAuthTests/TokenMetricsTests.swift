import DeskgateHTTP
import DeskgateIdentity
import Testing
@testable import DeskgateAuth

/// Token-endpoint refusals are counted by the OAuth `error` code the client was answered.
@Suite("Token endpoint metrics")
struct TokenMetricsTests {
    @Test(arguments: [
        ("invalid_grant", "invalid_grant"), ("invalid_client", "invalid_client"), ("not_found", "not_found"),
        ("access_denied", "access_denied"), ("unsupported_grant_type", "unsupported_grant_type"),
        ("made_up_code", "other"),
    ])
    func refusalReasons(code: String, reason: String) {
        let response = OAuthResponses.error(OAuthFailure(code, "why"))
        #expect(TokenMetrics.reasons[TokenMetrics.reasonIndex(of: response)] == reason)
    }

    @Test func aBodyWithoutAnErrorIsOther() {
        #expect(TokenMetrics.reasons[TokenMetrics.reasonIndex(of: Response.text("oops", status: .internalServerError))] == "other")
    }
}
