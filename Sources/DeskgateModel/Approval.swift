/// Which writes need a person's approval before a tool may commit them (issue 18). The
/// tenant sets one; a personal access token or an app's grant may tighten it, never loosen it.
public enum ApprovalPolicy: String, Sendable, CaseIterable, Comparable {
    /// No tool call waits for a person (the default). Spelled "none" where stored and typed.
    case never = "none"
    /// Tools that remove or overwrite something (`destructiveHint: true`) wait.
    case destructive
    /// Every write waits.
    case writes

    private var rank: Int {
        switch self {
        case .never: 0
        case .destructive: 1
        case .writes: 2
        }
    }

    public static func < (a: ApprovalPolicy, b: ApprovalPolicy) -> Bool { a.rank < b.rank }

    /// The stricter of the two: a token or an app can only add approvals to the tenant's.
    public func tightened(by other: ApprovalPolicy?) -> ApprovalPolicy { max(self, other ?? .never) }

    /// Whether a call of a tool with these annotations waits for approval. Reads never do.
    public func requiresApproval(readOnly: Bool, destructive: Bool) -> Bool {
        switch self {
        case .never: false
        case .destructive: !readOnly && destructive
        case .writes: !readOnly
        }
    }

    /// A stored or typed value; "" (nothing set on a token or grant) is nil.
    public init?(stored text: String) {
        guard !text.isEmpty, let policy = ApprovalPolicy(rawValue: text) else { return nil }
        self = policy
    }

    public static let names = allCases.map(\.rawValue).joined(separator: "|")
}

/// Where an approval stands at a moment. A decision wins over expiry for the record; a retry
/// honours only `approved` (not yet used, not expired).
public enum ApprovalStatus: String, Sendable {
    case pending, approved, declined, used, expired
}

/// One write a model asked for and a person must approve: bound to the user, the credential
/// (personal access token or app), the tool and the exact arguments (their digest), with the
/// dry run the person is shown. The id is random and only ever shown to its own user.
public struct Approval: Sendable, Equatable {
    public let id: String
    public let tenantID: Int64
    public let userID: Int64
    public let tokenID: Int64?
    public let clientID: String?
    public let tool: String
    /// The arguments as canonical JSON (keys sorted), without `dry_run` and `approval_id`.
    public let argumentsJSON: String
    /// SHA-256 of `argumentsJSON`, hex: what a retry's arguments must hash to.
    public let argumentsDigest: String
    /// The ticket the write touches, when it touches an existing one.
    public let ticketID: Int64?
    /// The dry run of the arguments when the approval was asked for: `summary`, `before`, `after`.
    public let previewJSON: String
    public let createdAt: Int64
    public let expiresAt: Int64
    /// "approved" or "declined"; nil while pending.
    public let decision: String?
    public let decidedAt: Int64?
    public let usedAt: Int64?

    public init(id: String, tenantID: Int64, userID: Int64, tokenID: Int64?, clientID: String?, tool: String,
                argumentsJSON: String, argumentsDigest: String, ticketID: Int64?, previewJSON: String,
                createdAt: Int64, expiresAt: Int64, decision: String?, decidedAt: Int64?, usedAt: Int64?) {
        self.id = id
        self.tenantID = tenantID
        self.userID = userID
        self.tokenID = tokenID
        self.clientID = clientID
        self.tool = tool
        self.argumentsJSON = argumentsJSON
        self.argumentsDigest = argumentsDigest
        self.ticketID = ticketID
        self.previewJSON = previewJSON
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.decision = decision
        self.decidedAt = decidedAt
        self.usedAt = usedAt
    }

    public func status(at now: Int64) -> ApprovalStatus {
        if usedAt != nil { return .used }
        if decision == "declined" { return .declined }
        if now >= expiresAt { return .expired }
        return decision == "approved" ? .approved : .pending
    }

    /// How long a person has to decide, and the model to retry: ten minutes.
    public static let lifetimeMilliseconds: Int64 = 10 * 60 * 1000
}
