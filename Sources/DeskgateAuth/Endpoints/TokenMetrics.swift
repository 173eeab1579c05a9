import DeskgateHTTP
import DeskgateJSON
import DeskgateMetrics

/// What the token endpoint counts: tokens issued by grant type, requests refused by their
/// OAuth error code. Read from the response, so every refusal path (form, client
/// authentication, tenant, grant) is counted the same way, by the code the client saw.
enum TokenMetrics {
    static let grantTypes = ["authorization_code", "refresh_token"]
    /// The codes the token endpoint answers with (RFC 6749 §5.2, RFC 8707, and the tenant
    /// answers); anything else counts as "other".
    static let reasons = ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type",
                          "invalid_scope", "invalid_target", "access_denied", "not_found", "other"]

    static let issued = Metrics.registry.register(CounterFamily(
        "deskgate_oauth_tokens_issued_total", help: "Token responses issued by the token endpoint, by grant type.",
        series: grantTypes.map { Labels([("grant_type", $0)]) }))

    static let refused = Metrics.registry.register(CounterFamily(
        "deskgate_oauth_token_requests_refused_total", help: "Token requests refused, by the OAuth error code answered.",
        series: reasons.map { Labels([("reason", $0)]) }))

    static func install() {
        _ = (issued, refused)
    }

    static func count(_ response: Response, grantType: String?) {
        if response.status.code == 200 {
            if let grantType, let index = grantTypes.firstIndex(of: grantType) { issued.add(index) }
            return
        }
        refused.add(reasonIndex(of: response))
    }

    /// The `error` member of a refusal's JSON body, as a slot of `reasons`.
    static func reasonIndex(of response: Response) -> Int {
        guard case .string(let code)? = (try? JSONParser.parse(response.body))?["error"],
              let index = reasons.firstIndex(of: code) else { return reasons.count - 1 }
        return index
    }
}
