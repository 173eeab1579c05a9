import DeskgateStore

/// Who is calling: the authenticated token's tenant, user and scopes.
struct Caller: Sendable {
    let tenant: Tenant
    let user: User
    let tokenID: Int64?
    let clientID: String?
    let scopes: Set<String>
    /// The user's department memberships when the authenticator had them cached with the token
    /// (same read snapshot rules as the user); nil: `ToolRun` reads them.
    var departmentIDs: [Int64]? = nil
}

/// Which era of MCP a request is served in (chosen per request, design.md).
enum Era: Sendable, Equatable {
    case handshake(version: String, sessionID: String?)
    case modern(version: String)

    var isModern: Bool { if case .modern = self { return true } else { return false } }
}
