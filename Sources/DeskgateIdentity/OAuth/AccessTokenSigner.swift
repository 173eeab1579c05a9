public import DeskgateCrypto
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Signs access tokens with the deployment's active key (the PEM `deskgate keys rotate`
/// replaces). The file is read on first use and again whenever it changed (one `stat` per
/// signature: microseconds next to ECDSA), so a rotation takes effect with the very next token
/// and no restart; the rotated-out key keeps verifying while it is retiring.
public final class AccessTokenSigner: Sendable {
    private struct Loaded {
        var key: DeskgateCrypto.SigningKey
        var stamp: FileStamp?
    }

    /// What tells a replaced file from the one already loaded.
    private struct FileStamp: Equatable {
        var inode: UInt64
        var seconds: Int
        var nanoseconds: Int
        var size: Int64
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
        state = Mutex(Loaded(key: key, stamp: nil))
    }

    /// The active key; fails (KeyError) when the keys directory has no usable key.
    public func key() throws -> DeskgateCrypto.SigningKey {
        let loaded = state.withLock { $0 }
        if path.isEmpty, let loaded { return loaded.key }
        let stamp = Self.stamp(path)
        if let loaded, loaded.stamp == stamp { return loaded.key }
        do {
            let fresh = try DeskgateCrypto.SigningKey.load(fromFile: path)
            state.withLock { $0 = Loaded(key: fresh, stamp: stamp) }
            return fresh
        } catch {
            // A file being rewritten this instant: keep signing with the key we have.
            if let loaded { return loaded.key }
            throw error
        }
    }

    /// A compact JWS with `typ: at+jwt` over `payload` (`AccessTokenFormat.mint`).
    func sign(_ payload: [UInt8]) throws -> String {
        JWS.sign(payload: payload, key: try key(), type: AccessTokenFormat.type)
    }

    private static func stamp(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(inode: UInt64(info.st_ino), seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec),
                         size: Int64(info.st_size))
    }
}
