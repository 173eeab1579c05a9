/// Who asks for an administrative change (revoking a token or an app, changing an agent's role
/// or a tenant's MCP settings): an agent of the tenant, whom the service checks inside its
/// transaction (active, and the owner or an admin as the change requires), or the operator at
/// the CLI, who is trusted and recorded without an actor. A value rather than an optional id or
/// email, so skipping the check is a choice a caller spells out (`.operator`), never the
/// accident of passing nil.
public enum ActorRef: Sendable, Equatable {
    case agent(userID: Int64)
    case `operator`

    /// The user the security log names as the actor (nil: the operator).
    public var userID: Int64? {
        if case .agent(let userID) = self { userID } else { nil }
    }
}
