import DeskgateDesk
import DeskgateIdentity
import DeskgateModel

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
    let scopes: Scopes
    /// The user's department memberships when the authenticator had them cached with the token
    /// (same read snapshot rules as the user); nil: `ToolRun` reads them.
    let departmentIDs: [Int64]?
    /// The tenant host an OAuth access token is bound to (custom domains), nil otherwise.
    let host: String?

    init(tenant: Tenant, user: User, tokenID: Int64?, clientID: String?, scopes: Scopes,
         departmentIDs: [Int64]? = nil, host: String? = nil) {
        self.host = host
        self.tenant = tenant
        self.user = user
        self.tokenID = tokenID
        self.clientID = clientID
        self.scopes = scopes
        self.departmentIDs = departmentIDs
    }

    /// Whether the caller's scopes include all of `scope`: a bit test on the raw values, so
    /// `tools/call` neither hashes a name nor calls across modules (callgrind: hashing the name
    /// into a `Set<String>` cost ~380 instructions a call).
    @inline(__always)
    func holds(_ scope: Scopes) -> Bool {
        scopes.rawValue & scope.rawValue == scope.rawValue
    }
}

extension Caller {
    convenience init(_ principal: TokenPrincipal) {
        self.init(tenant: principal.tenant, user: principal.user, tokenID: principal.tokenID, clientID: nil,
                  scopes: principal.scopes, departmentIDs: principal.departmentIDs)
    }

    convenience init(_ principal: OAuthPrincipal) {
        self.init(tenant: principal.tenant, user: principal.user, tokenID: nil, clientID: principal.clientID,
                  scopes: principal.scopes, departmentIDs: principal.departmentIDs, host: principal.host)
    }
}

/// The callers of one event loop's recent tokens (PATs and OAuth access tokens), by principal identity.
///
/// The token cache returns the same principal object for every request of a token until the
/// revocation counter moves, so the caller built from it can be reused as is: building one per
/// request (tenant and user rows copied, then destroyed) cost ~4k instructions (callgrind). An
/// entry is only ever found through a principal the authenticator has just accepted, so a
/// revoked token's entry is never served; it just ages out. Not Sendable: one loop's.
final class CallerMemo {
    /// The principal is held, so its identity cannot be reused by another object meanwhile.
    private var entries: [(principal: AnyObject, caller: Caller)] = []
    static let capacity = 16

    init() {}

    func caller(for principal: TokenPrincipal) -> Caller {
        memoized(principal) { Caller(principal) }
    }

    func caller(for principal: OAuthPrincipal) -> Caller {
        memoized(principal) { Caller(principal) }
    }

    private func memoized(_ principal: AnyObject, _ make: () -> Caller) -> Caller {
        for entry in entries where entry.principal === principal { return entry.caller }
        let caller = make()
        if entries.count >= Self.capacity { entries.removeFirst() }
        entries.append((principal, caller))
        return caller
    }
}

/// Which era of MCP a request is served in (chosen per request: `EraSelection`).
enum Era: Sendable, Equatable {
    /// `elicitsURL`: the session's client declared URL-mode elicitation at `initialize`.
    case handshake(version: String, sessionID: String?, elicitsURL: Bool = false)
    case modern(version: String)

    var isModern: Bool { if case .modern = self { return true } else { return false } }
}

/// Who an MCP request comes from before any tool runs.
///
/// Usually a verified header token (`caller`). Where a tenant takes the token as a tool
/// argument (`MCPSettings.accessTokenArgument`), a request may come with no token at all
/// (`tenantOnly`): it can open a session and list tools, and each `tools/call` then names its
/// own token in `arguments.access_token`, which makes the caller for that call alone.
enum RequestParty: Sendable {
    case caller(Caller)
    case tenantOnly(Tenant)

    var tenant: Tenant {
        switch self {
        case .caller(let caller): return caller.tenant
        case .tenantOnly(let tenant): return tenant
        }
    }

    /// The user sessions and cancellations are bound to; 0 for token-less requests (no user
    /// id is 0), so a token-less session can never be resumed with a user's header token.
    var sessionUserID: Int64 {
        switch self {
        case .caller(let caller): return caller.user.id
        case .tenantOnly: return 0
        }
    }

    var verifiedCaller: Caller? {
        if case .caller(let caller) = self { return caller }
        return nil
    }
}
