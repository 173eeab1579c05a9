/// One row of the MCP audit log (`mcp_audit`, migration 20; docs/audit.md field by field): one
/// tools/call, read or write, whatever its outcome. It names the call, never its content: the
/// arguments only as a digest, the tickets only by number, and no token.
public struct AuditRecord: Sendable, Equatable {
    /// 0 until stored; then the row's id (rising in insertion order, the pages' keyset).
    public var id: Int64
    public var tenantID: Int64
    /// When the call arrived, milliseconds since the epoch.
    public var at: Int64
    public var userID: Int64?
    /// The personal access token's id, or nil for an OAuth app (then `clientID`).
    public var tokenID: Int64?
    public var clientID: String?
    public var tool: String
    /// Lower-case hex SHA-256 of the canonical arguments (`AuditArguments`).
    public var argsDigest: String
    /// Ticket numbers the call named or touched, comma-separated ("1042,1043"), or "".
    public var tickets: String
    public var outcome: AuditOutcome
    /// Why a call was refused or failed (`refused`, `error`), a short code such as `rate_limited`.
    public var reason: String?
    public var durationMilliseconds: Int
    /// The serving process: `deskgate-mcp@host:pid`.
    public var process: String

    public init(id: Int64 = 0, tenantID: Int64, at: Int64, userID: Int64?, tokenID: Int64?, clientID: String?, tool: String,
                argsDigest: String, tickets: String, outcome: AuditOutcome, reason: String?, durationMilliseconds: Int,
                process: String) {
        self.id = id
        self.tenantID = tenantID
        self.at = at
        self.userID = userID
        self.tokenID = tokenID
        self.clientID = clientID
        self.tool = tool
        self.argsDigest = argsDigest
        self.tickets = tickets
        self.outcome = outcome
        self.reason = reason
        self.durationMilliseconds = durationMilliseconds
        self.process = process
    }
}

/// How a tools/call ended.
public enum AuditOutcome: String, Sendable, CaseIterable {
    /// The tool ran and answered (a dry run too).
    case ok
    /// The tool ran and answered with `isError` (bad arguments, not found, not allowed on that ticket, …).
    case toolError = "tool_error"
    /// Not run: a limit, a missing scope or approval, a setting of the tenant (`reason` says which).
    case refused
    /// A protocol or server error (JSON-RPC error: invalid params, unavailable, internal).
    case error
}

/// Which calls an audit query returns (every member nil: all of the tenant's).
public struct AuditFilter: Sendable, Equatable {
    public var userID: Int64?
    public var tokenID: Int64?
    public var clientID: String?
    public var tool: String?
    public var outcome: AuditOutcome?
    /// Inclusive lower and exclusive upper bound on `at`, milliseconds since the epoch.
    public var from: Int64?
    public var until: Int64?

    public init(userID: Int64? = nil, tokenID: Int64? = nil, clientID: String? = nil, tool: String? = nil,
                outcome: AuditOutcome? = nil, from: Int64? = nil, until: Int64? = nil) {
        self.userID = userID
        self.tokenID = tokenID
        self.clientID = clientID
        self.tool = tool
        self.outcome = outcome
        self.from = from
        self.until = until
    }
}
