/// Who administers agents: an admin of the tenant (checked, inside the transaction, to be an
/// active admin still) or the operator at the CLI, who is trusted and recorded without an actor.
/// A value rather than an optional id, so skipping the admin check is a choice a caller spells
/// out (`.operator`), never the accident of passing nil.
public enum AgentAdministrator: Sendable, Equatable {
    case admin(userID: Int64)
    case `operator`

    /// The user the security log names as the actor (nil: the operator).
    var userID: Int64? {
        if case .admin(let userID) = self { userID } else { nil }
    }
}
