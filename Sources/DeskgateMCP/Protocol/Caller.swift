import DeskgateStore

/// Who is calling: the authenticated token's tenant, user and scopes.
///
/// A class: a request hands the caller to the exchange, the dispatcher, the tool run and the
/// actor, and copying a struct of tenant and user rows cost a dozen retains and releases each
/// time (callgrind).
final class Caller: Sendable {
    let tenant: Tenant
    let user: User
    let tokenID: Int64?
    let clientID: String?
    let scopes: Set<String>
    /// The user's department memberships when the authenticator had them cached with the token
    /// (same read snapshot rules as the user); nil: `ToolRun` reads them.
    let departmentIDs: [Int64]?

    init(tenant: Tenant, user: User, tokenID: Int64?, clientID: String?, scopes: Set<String>,
         departmentIDs: [Int64]? = nil) {
        self.tenant = tenant
        self.user = user
        self.tokenID = tokenID
        self.clientID = clientID
        self.scopes = scopes
        self.departmentIDs = departmentIDs
    }
}

/// Which era of MCP a request is served in (chosen per request, design.md).
enum Era: Sendable, Equatable {
    case handshake(version: String, sessionID: String?)
    case modern(version: String)

    var isModern: Bool { if case .modern = self { return true } else { return false } }
}
