import DeskgateDesk
import DeskgateHTTP
import DeskgateJSON

/// The request-rate side of issue 19 on HTTP: every authenticated MCP request is admitted by the
/// process's `UsageMeter`; its answer carries the IETF httpapi RateLimit fields (draft 10):
/// `RateLimit-Policy: "token";q=1200;w=60, "tenant";q=6000;w=60` and
/// `RateLimit: "token";r=87;t=56, "tenant";r=5990;t=2`, once a window is nearly used up (a tenth of
/// its quota left), and always on a refusal. A refused request gets HTTP 429 with
/// `Retry-After` and a JSON-RPC error saying the same (code `rateLimited`, data with the numbers),
/// before any tool runs.
enum RateLimitFields {
    /// The JSON-RPC error code of a refused request (in the implementation-defined server range).
    static let rateLimitedCode = -32029

    /// Adds the fields when a window is close to empty (`isNear`) or the request was refused.
    /// Far from every limit, the common case, nothing is added: the fields cost a tenth of a
    /// call's instructions, and a client has nothing to plan for yet.
    static func add(_ admission: UsageMeter.Admission, to headers: inout HTTPHeaders, always: Bool = false) {
        let limits = admission.limits
        let token = limits.callsPerMinute > 0 ? admission.credential : nil
        let tenant = limits.tenantCallsPerMinute > 0 ? admission.tenant : nil
        guard token != nil || tenant != nil else { return }
        guard always || isNear(token, quota: limits.callsPerMinute) || isNear(tenant, quota: limits.tenantCallsPerMinute) else {
            return
        }
        var policy = "", current = ""
        policy.reserveCapacity(48)
        current.reserveCapacity(48)
        func item(_ name: String, quota: Int, _ decision: RateWindow.Decision) {
            if !policy.isEmpty { policy += ", "; current += ", " }
            policy += name; policy += ";q="; policy += String(quota); policy += ";w=60"
            current += name; current += ";r="; current += String(decision.remaining)
            current += ";t="; current += String(decision.resetSeconds)
        }
        if let token { item("\"token\"", quota: limits.callsPerMinute, token) }
        if let tenant { item("\"tenant\"", quota: limits.tenantCallsPerMinute, tenant) }
        headers.add("RateLimit-Policy", policy)
        headers.add("RateLimit", current)
    }

    /// A window with at most a tenth of its quota (and never fewer than 10 requests) left.
    static func isNear(_ decision: RateWindow.Decision?, quota: Int) -> Bool {
        guard let decision else { return false }
        return decision.remaining <= max(quota / 10, 10)
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
        add(shown, to: &headers, always: true)
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
