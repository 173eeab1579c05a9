#if canImport(Glibc)
import Glibc
#endif

/// Whether a SQLite database is being served. Each server process holds a shared `flock` on
/// the file `<database>-live` for as long as it runs; `deskgate restore` asks for an exclusive
/// one, which it gets only when no server holds the file (a process that dies drops its lock
/// with it, so a crash leaves nothing stale). A side file and not the database itself: closing
/// any descriptor of the database file would drop SQLite's own POSIX locks of the process.
public final class LiveDatabaseLock: Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    static func lockPath(for database: String) -> String { database + "-live" }

    enum Attempt {
        case held(LiveDatabaseLock)
        /// Another process holds the lock the other way.
        case taken
        /// The side file cannot be opened (a read-only directory).
        case unavailable(errno: Int32)
    }

    /// A server's shared hold, or nil when it cannot be had (the server still runs; restore
    /// then cannot tell that it is live, and says so).
    public static func holdWhileServing(_ database: String) -> LiveDatabaseLock? {
        if case .held(let lock) = take(database, operation: LOCK_SH) { return lock }
        return nil
    }

    /// The restorer's exclusive hold.
    static func exclusive(_ database: String) -> Attempt {
        take(database, operation: LOCK_EX)
    }

    private static func take(_ database: String, operation: Int32) -> Attempt {
        let fd = open(lockPath(for: database), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return .unavailable(errno: errno) }
        guard flock(fd, operation | LOCK_NB) == 0 else {
            close(fd)
            return .taken
        }
        return .held(LiveDatabaseLock(fd: fd))
    }
}
