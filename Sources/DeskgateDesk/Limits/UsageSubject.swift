/// Whom a count belongs to: a tenant as a whole, a personal access token, or one person's grant
/// to an app (the OAuth "token" of issue 19: every access token the app holds for that person).
public struct UsageSubject: Hashable, Sendable {
    public let tenantID: Int64
    /// The user the credential belongs to; 0 for the tenant.
    public let userID: Int64
    /// The personal access token; 0 otherwise.
    public let tokenID: Int64
    /// The app's client id; "" otherwise.
    public let clientID: String

    public static func tenant(_ tenantID: Int64) -> UsageSubject {
        UsageSubject(tenantID: tenantID, userID: 0, tokenID: 0, clientID: "")
    }

    /// The credential of a call: its token, or the app it came through.
    public static func credential(tenantID: Int64, userID: Int64, tokenID: Int64?, clientID: String?) -> UsageSubject {
        UsageSubject(tenantID: tenantID, userID: userID, tokenID: tokenID ?? 0, clientID: tokenID == nil ? clientID ?? "" : "")
    }

    public var isTenant: Bool { userID == 0 }

    /// The `mcp_usage.subject` text: `tenant`, `pat:ID`, or `app:USER:CLIENT`.
    public var text: String {
        if isTenant { return "tenant" }
        if tokenID != 0 { return "pat:\(tokenID)" }
        return "app:\(userID):\(clientID)"
    }
}

/// Which limit stopped a call, in the words the 429, the tool error and the docs use.
public struct LimitRefusal: Sendable, Equatable {
    public enum Kind: String, Sendable { case requests, writes }
    public enum Scope: String, Sendable { case token, tenant }

    public let kind: Kind
    public let scope: Scope
    /// The limit: requests per minute, or writes per hour.
    public let limit: Int
    public let windowSeconds: Int
    public let retryAfterSeconds: Int

    /// One sentence a person or a model can act on.
    public var text: String {
        let whose = scope == .token ? "this token's" : "this help desk's"
        switch kind {
        case .requests:
            return "Too many requests: \(whose) limit is \(UsageLimits.grouped(limit)) a minute. "
                + "Wait \(retryAfterSeconds) s before the next call (docs/limits.md)."
        case .writes:
            return "Write quota used up: \(whose) quota is \(UsageLimits.grouped(limit)) changes an hour and none is left. "
                + "Nothing was changed. The quota renews in \(retryAfterSeconds) s, at the start of the next hour; "
                + "reads still work (docs/limits.md)."
        }
    }
}
