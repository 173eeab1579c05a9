import DeskgateDesk
import DeskgateHTTP
import DeskgateJSON

/// The request-rate side of issue 19 on HTTP: every authenticated MCP request is admitted by the
/// process's `UsageMeter`; its answer carries the IETF httpapi RateLimit fields (draft 10):
/// `RateLimit-Policy: "token";q=1200;w=60, "tenant";q=6000;w=60` and
/// `RateLimit: "token";r=1187;t=1, "tenant";r=5990;t=2`. A refused request gets HTTP 429 with
/// `Retry-After` and a JSON-RPC error saying the same (code `rateLimited`, data with the numbers),
/// before any tool runs.
enum RateLimitFields {
    /// The JSON-RPC error code of a refused request (in the implementation-defined server range).
    static let rateLimitedCode = -32029

    static func add(_ admission: UsageMeter.Admission, to headers: inout HTTPHeaders) {
        var policy = "", current = ""
        func item(_ name: String, quota: Int, _ decision: RateWindow.Decision?) {
            guard quota > 0, let decision else { return }
            if !policy.isEmpty { policy += ", "; current += ", " }
            policy += "\"\(name)\";q=\(quota);w=60"
            current += "\"\(name)\";r=\(decision.remaining);t=\(decision.resetSeconds)"
        }
        item("token", quota: admission.limits.callsPerMinute, admission.credential)
        item("tenant", quota: admission.limits.tenantCallsPerMinute, admission.tenant)
        guard !policy.isEmpty else { return }
        headers.add("RateLimit-Policy", policy)
        headers.add("RateLimit", current)
    }

    /// The 429 for a refused request; `id` is the request's when the body had one.
    static func tooManyRequests(_ refusal: LimitRefusal, admission: UsageMeter.Admission, id: JSONRPCID?,
                                framing: ResponseFraming, extra: HTTPHeaders) -> Response {
        var headers = extra
        headers.add("Retry-After", String(refusal.retryAfterSeconds))
        // The refused window's fields say r=0; the other window's as they stand.
        let zero = RateWindow.Decision(allowed: false, remaining: 0, resetSeconds: refusal.retryAfterSeconds,
                                       retryAfterSeconds: refusal.retryAfterSeconds)
        let shown = UsageMeter.Admission(limits: admission.limits,
                                         credential: refusal.scope == .token ? zero : admission.credential,
                                         tenant: refusal.scope == .tenant ? zero : admission.tenant, refusal: refusal)
        add(shown, to: &headers)
        let error = RPCError(code: rateLimitedCode, message: refusal.text, data: .object(data(refusal)), kind: .rateLimited)
        return rpcErrorResponse(error, id: id, framing: framing, extra: headers)
    }

    /// The numbers of a refusal, as the JSON-RPC error's data and a quota tool error's
    /// structuredContent carry them.
    static func data(_ refusal: LimitRefusal) -> JSONObject {
        JSONObject([
            ("error", .string(refusal.kind == .requests ? "rate_limited" : "write_quota_exceeded")),
            ("limit", .string(refusal.kind.rawValue)),
            ("scope", .string(refusal.scope.rawValue)),
            ("quota", .number(JSONNumber(refusal.limit))),
            ("window_seconds", .number(JSONNumber(refusal.windowSeconds))),
            ("remaining", .number(JSONNumber(0))),
            ("retry_after_seconds", .number(JSONNumber(refusal.retryAfterSeconds))),
        ])
    }
}

extension RequestParty {
    /// The credential whose limits a request counts against; nil for a request without a token
    /// (a tenant that takes tokens as tool arguments), which counts for the tenant only.
    var usageCredential: UsageSubject? {
        guard case .caller(let caller) = self else { return nil }
        return caller.usageCredential
    }
}

extension Caller {
    var usageCredential: UsageSubject {
        .credential(tenantID: tenant.id, userID: user.id, tokenID: tokenID, clientID: clientID)
    }
}
