public import DeskgateCrypto
import DeskgateSystem
import Foundation
import Synchronization

/// Signs access tokens with the deployment's active key (the PEM `deskgate keys rotate`
/// replaces). The file is read on first use and re-read when it changes (checked at most
/// every few seconds), so a rotation takes effect without a restart; the rotated-out key
/// keeps verifying while it is retiring.
public final class AccessTokenSigner: Sendable {
    private struct Loaded {
        var key: DeskgateCrypto.SigningKey
        var modified: Date?
        var checkedAt: UInt64
    }

    private let path: String
    private let state: Mutex<Loaded?>

    public init(keyFile path: String) {
        self.path = path
        state = Mutex(nil)
    }

    /// Tests sign with a key of their own.
    public init(key: DeskgateCrypto.SigningKey) {
        path = ""
        state = Mutex(Loaded(key: key, modified: nil, checkedAt: .max))
    }

    /// The active key; fails (KeyError) when the keys directory has no usable key.
    public func key() throws -> DeskgateCrypto.SigningKey {
        let now = MonotonicClock.nanoseconds()
        let (current, due) = state.withLock { loaded -> (DeskgateCrypto.SigningKey?, Bool) in
            guard let loaded else { return (nil, true) }
            let due = !path.isEmpty && now &- loaded.checkedAt > 5_000_000_000
            return (loaded.key, due)
        }
        if let current, !due { return current }
        let modified = Self.modified(path)
        if let current, modified == state.withLock({ $0?.modified }) {
            state.withLock { $0?.checkedAt = now }
            return current
        }
        do {
            let fresh = try DeskgateCrypto.SigningKey.load(fromFile: path)
            state.withLock { $0 = Loaded(key: fresh, modified: modified, checkedAt: now) }
            return fresh
        } catch {
            if let current { return current }
            throw error
        }
    }

    /// A compact JWS with `typ: at+jwt` over `payload`.
    public func sign(_ payload: String) throws -> String {
        JWS.sign(payload: Array(payload.utf8), key: try key(), type: "at+jwt")
    }

    private static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
