import CSys

/// Shutdown signals (SIGINT, SIGTERM, SIGHUP) delivered to one thread instead of an async handler.
///
/// Call `ShutdownSignals.block()` first thing in `main`, before any thread starts, so every
/// thread inherits the mask; then `onSignal` runs its closure on a dedicated thread.
public enum ShutdownSignals {
    public static func block() {
        _ = csys_block_shutdown_signals()
    }

    /// Calls `handler` with the signal number each time one arrives.
    public static func onSignal(_ handler: @escaping @Sendable (Int32) -> Void) {
        spawnThread(name: "signals") {
            while true {
                let sig = csys_wait_shutdown_signal()
                if sig > 0 { handler(sig) }
            }
        }
    }
}

/// Process-level stdio setup.
public enum StandardIO {
    /// Logs go through pipes under supervisors: line-buffer them so they appear promptly.
    public static func lineBuffer() { csys_line_buffer_stdio() }
    public static func isTerminal(_ fd: Int32) -> Bool { csys_is_tty(fd) == 1 }
}
