public import DeskgateModel

/// What an approval is bound to, as a retry presents it: the tenant, the user, the credential
/// (the personal access token, or the app), the tool and the argument digest. `check` is the
/// one rule deciding whether an approval serves a retry; `ApprovalBindingTests` holds it.
public struct ApprovalBinding: Sendable, Equatable {
    public let tenantID: Int64
    public let userID: Int64
    public let tokenID: Int64?
    public let clientID: String?
    public let tool: String
    public let argumentsDigest: String

    public init(tenantID: Int64, userID: Int64, tokenID: Int64?, clientID: String?, tool: String, argumentsDigest: String) {
        self.tenantID = tenantID
        self.userID = userID
        self.tokenID = tokenID
        self.clientID = clientID
        self.tool = tool
        self.argumentsDigest = argumentsDigest
    }

    /// Whether `approval` lets this call commit now, and if not, why.
    public func check(_ approval: Approval, now: Int64) -> ApprovalCheck {
        // Another tenant's, user's or credential's approval is not one this caller may learn
        // anything about: the same answer as an unknown id.
        guard approval.tenantID == tenantID, approval.userID == userID,
              approval.tokenID == tokenID, approval.clientID == clientID else { return .unknown }
        guard approval.tool == tool else { return .mismatch("it was given for \(approval.tool), not \(tool)") }
        guard approval.argumentsDigest == argumentsDigest else {
            return .mismatch("it was given for other arguments; call again with exactly the approved arguments, "
                             + "or without approval_id to ask for a new approval")
        }
        switch approval.status(at: now) {
        case .approved: return .approved(approval)
        case .pending: return .pending(approval)
        case .declined: return .declined(approval)
        case .used: return .used
        case .expired: return .expired
        }
    }
}

/// The answer of `ApprovalBinding.check`.
public enum ApprovalCheck: Sendable, Equatable {
    /// Approved, unused, in time: the write may commit, using it.
    case approved(Approval)
    /// Nobody has decided yet.
    case pending(Approval)
    case declined(Approval)
    /// It served one write already; an approval is good for one.
    case used
    case expired
    /// Not this caller's (or no such approval).
    case unknown
    /// This caller's, but for another tool or other arguments.
    case mismatch(String)
}
