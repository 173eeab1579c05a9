public import DeskgateModel

/// A token as its owner, an admin or the operator sees it: never the token, never its hash.
public struct PersonalAccessTokenSummary: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let masked: String
    /// Empty when unnamed.
    public let name: String
    public let userID: Int64
    public let userEmail: String
    public let scopes: Scopes
    /// Unix milliseconds.
    public let createdAt: Int64
    public let lastUsedAt: Int64?
    public let expiresAt: Int64
    public let revokedAt: Int64?
    public let revokedBy: Int64?
    /// As of when the summary was made.
    public let status: PersonalAccessTokenStatus
    /// The approvals the token adds to its tenant's policy; nil none.
    public let approval: ApprovalPolicy?

    package init(_ token: PersonalAccessToken, userEmail: String, now: Int64) {
        id = token.id
        masked = token.masked
        name = token.name
        userID = token.userID
        self.userEmail = userEmail
        // Names the store holds were validated on the way in; one this binary does not know
        // (written by a newer one) grants nothing here.
        scopes = Scopes(names: token.scopes)
        createdAt = token.createdAt
        lastUsedAt = token.lastUsedAt
        expiresAt = token.expiresAt
        revokedAt = token.revokedAt
        revokedBy = token.revokedBy
        status = token.status(at: now)
        approval = ApprovalPolicy(stored: token.approval)
    }
}
