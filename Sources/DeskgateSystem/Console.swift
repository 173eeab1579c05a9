#if canImport(Glibc)
import Glibc
#endif

/// Plain-text output for command-line programs (logs use `Log`).
public enum Console {
    public static func error(_ message: String) {
        Log.emit(Array((message + "\n").utf8))
    }

    /// Prints `program: message` on stderr and exits with `status`.
    public static func fail(_ program: String, _ message: String, status: Int32 = 1) -> Never {
        error("\(program): \(message)")
        exit(status)
    }
}
