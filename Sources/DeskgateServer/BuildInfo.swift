/// What this build is, for `initialize` answers and the `deskgate_build_info` metric.
public enum BuildInfo {
    public static let version = "0.3.0"

    /// The compiler that built this binary, to the minor version.
    public static let swiftVersion: String = {
        #if compiler(>=6.4)
        return "6.4+"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }()
}
