import DeskgateModel
import DeskgateStore
import DeskgateSystem

/// The one place a write uses its approval: inside the write's own transaction, so the
/// approval is spent exactly when the write commits, and a second use (a replay, or two
/// processes racing) fails and rolls its write back.
enum ApprovalUse {
    /// Marks the approval used and returns who approved it, for the write's history row.
    static func consume(_ id: String, actor: DeskActor, in tx: WriteTransaction) throws -> String {
        guard try actor.tenant.approvals.use(id, at: WallClock.milliseconds(), in: tx) else {
            throw DeskError.conflict("The approval for this call was already used or has expired; nothing was changed. "
                                     + "Call the tool again without approval_id to ask for a new approval.")
        }
        return "\(actor.user.name) <\(actor.user.email)>"
    }
}
