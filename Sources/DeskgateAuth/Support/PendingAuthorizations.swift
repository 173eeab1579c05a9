import DeskgateCrypto
import DeskgateDesk
import DeskgateIdentity
import DeskgateSystem
import Synchronization

/// An authorization request waiting on the consent page, bound to the browser session that
/// saw the page: another session (or a forged form) cannot complete it.
struct PendingAuthorization: Sendable {
    let slug: String
    let sessionID: Int64
    let request: ApprovedRequest
    let state: String?
    let appName: String
    let isMetadataDocument: Bool
    let createdAt: Int64
}

/// Pending consent requests, in memory for ten minutes, each completed at most once.
/// (Several deskgate-auth processes behind one name need sticky sessions for the consent
/// step, or this moves into the database.)
final class PendingAuthorizations: Sendable {
    static let lifetimeMilliseconds: Int64 = 10 * 60 * 1000
    private let entries = Mutex<[String: PendingAuthorization]>([:])
    private let capacity = 20_000

    func add(_ pending: PendingAuthorization) -> String {
        let id = SecureRandom.base64URL(byteCount: 24)
        entries.withLock { entries in
            if entries.count >= capacity {
                let cutoff = WallClock.milliseconds() - Self.lifetimeMilliseconds
                entries = entries.filter { $0.value.createdAt > cutoff }
                if entries.count >= capacity { entries.removeAll() }
            }
            entries[id] = pending
        }
        return id
    }

    /// The request, if it is this session's and still fresh; `remove` completes it (single use).
    func find(_ id: String, slug: String, sessionID: Int64, remove: Bool) -> PendingAuthorization? {
        entries.withLock { entries in
            guard let pending = entries[id], pending.slug == slug, pending.sessionID == sessionID else { return nil }
            if WallClock.milliseconds() - pending.createdAt > Self.lifetimeMilliseconds {
                entries.removeValue(forKey: id)
                return nil
            }
            if remove { entries.removeValue(forKey: id) }
            return pending
        }
    }
}
