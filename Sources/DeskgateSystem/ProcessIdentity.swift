#if canImport(Glibc)
import Glibc
#endif

/// Who this process is, for records that say which process did something (the audit log).
public enum ProcessIdentity {
    public static var id: Int32 { getpid() }

    /// The host's name (`gethostname`), or "localhost" when it cannot be read.
    public static let hostName: String = {
        var bytes = [CChar](repeating: 0, count: 256)
        guard gethostname(&bytes, bytes.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }()
}
