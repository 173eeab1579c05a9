import DeskgateCrypto
import DeskgateSystem
import Synchronization

/// The banner a POST leaves for the page it redirects to (POST-redirect-GET): "Token revoked",
/// "That app was already revoked". A page never builds one by hand for a GET; it returns
/// `page.redirect(to:flash:)` from its POST handler and the layout shows the banner once.
///
/// `reveal` carries a secret that is shown exactly once (a new personal access token): the
/// profile page renders it from the flash and nowhere else, so reloading shows it no more.
struct Flash: Sendable, Equatable {
    enum Kind: String, Sendable { case success, error }

    let kind: Kind
    let message: String
    var reveal: String?

    static func success(_ message: String, reveal: String? = nil) -> Flash {
        Flash(kind: .success, message: message, reveal: reveal)
    }

    static func error(_ message: String) -> Flash { Flash(kind: .error, message: message) }
}

/// One-shot flashes kept server-side, in memory, for two minutes; the browser holds only a
/// random id in a cookie.
///
/// Why not a signed cookie with the message in it: the one-time token would then travel in a
/// cookie (and any proxy or browser store that keeps cookies would keep the token). Held here,
/// the secret leaves the process once, in the page that shows it, and `take` deletes it on first
/// read; it is also bound to the session that made it, so a stolen id shows nothing to another
/// browser. The cost: several deskgate-auth processes behind one name need sticky sessions for
/// the banner to follow the redirect (as for pending consent requests); without them the banner
/// is lost, never shown to someone else.
final class FlashStore: Sendable {
    static let lifetimeMilliseconds: Int64 = 2 * 60 * 1000

    private struct Entry {
        let flash: Flash
        let sessionID: Int64
        let createdAt: Int64
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int = 20_000) { self.capacity = capacity }

    /// Stores `flash` for the session; the returned id goes into the flash cookie.
    func put(_ flash: Flash, sessionID: Int64, now: Int64 = WallClock.milliseconds()) -> String {
        let id = SecureRandom.base64URL(byteCount: 24)
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { now - $0.value.createdAt < Self.lifetimeMilliseconds }
                if entries.count >= capacity { entries.removeAll() }
            }
            entries[id] = Entry(flash: flash, sessionID: sessionID, createdAt: now)
        }
        return id
    }

    /// The flash, once: the entry is removed whether or not it matches this session or is fresh.
    func take(_ id: String, sessionID: Int64, now: Int64 = WallClock.milliseconds()) -> Flash? {
        entries.withLock { entries in
            guard let entry = entries.removeValue(forKey: id), entry.sessionID == sessionID,
                  now - entry.createdAt < Self.lifetimeMilliseconds else { return nil }
            return entry.flash
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
