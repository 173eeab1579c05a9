import DeskgateCrypto
import DeskgateSystem
import Synchronization

/// Handshake-era sessions (`Mcp-Session-Id`), shared by every event loop of the process.
///
/// A session is never authentication: every request still carries its token, and a session
/// answers only to the user who opened it (another user's token gets the same 404 as an
/// unknown id, so session ids cannot be probed).
final class SessionStore: Sendable {
    struct Session: Sendable {
        let tenantID: Int64
        let userID: Int64
        let protocolVersion: String
        var lastSeen: Int64
    }

    private let sessions = Mutex<[String: Session]>([:])
    private let idleMilliseconds: Int64
    private let maxSessions: Int

    init(idleSeconds: Int64 = 3600, maxSessions: Int = 100_000) {
        idleMilliseconds = idleSeconds * 1000
        self.maxSessions = maxSessions
    }

    /// A new session id: 256 random bits, base64url (visible ASCII as the spec requires).
    static func newID() -> String { SecureRandom.base64URL(byteCount: 32) }

    func open(tenantID: Int64, userID: Int64, protocolVersion: String) -> String {
        let id = Self.newID()
        let now = WallClock.milliseconds()
        sessions.withLock { sessions in
            if sessions.count >= maxSessions { evictIdle(&sessions, now: now, force: true) }
            sessions[id] = Session(tenantID: tenantID, userID: userID, protocolVersion: protocolVersion, lastSeen: now)
        }
        return id
    }

    /// The session if it exists, is not idle-expired, and belongs to this user of this tenant.
    func resume(_ id: String, tenantID: Int64, userID: Int64) -> Session? {
        let now = WallClock.milliseconds()
        return sessions.withLock { sessions -> Session? in
            guard var session = sessions[id] else { return nil }
            if now - session.lastSeen > idleMilliseconds {
                sessions[id] = nil
                return nil
            }
            guard session.tenantID == tenantID, session.userID == userID else { return nil }
            session.lastSeen = now
            sessions[id] = session
            return session
        }
    }

    /// Ends a session (DELETE). False when there was no such session for this user.
    func close(_ id: String, tenantID: Int64, userID: Int64) -> Bool {
        sessions.withLock { sessions in
            guard let session = sessions[id], session.tenantID == tenantID, session.userID == userID else { return false }
            sessions[id] = nil
            return true
        }
    }

    var count: Int { sessions.withLock { $0.count } }

    private func evictIdle(_ sessions: inout [String: Session], now: Int64, force: Bool) {
        sessions = sessions.filter { now - $0.value.lastSeen <= idleMilliseconds }
        if force && sessions.count >= maxSessions, let oldest = sessions.min(by: { $0.value.lastSeen < $1.value.lastSeen }) {
            sessions[oldest.key] = nil
        }
    }
}
