/// Failures of domain operations, phrased for the person or model that asked.
/// Each edge maps them once: CLI → message and exit code, HTTP → status, MCP → tool error.
public enum DeskError: Error, Equatable, CustomStringConvertible {
    /// An argument is wrong; `field` names it so the caller knows what to fix.
    case invalid(field: String, reason: String)
    /// Missing, or not visible to the caller (never says which: no existence oracle).
    case notFound(String)
    /// Would break a uniqueness or state rule.
    case conflict(String)
    /// The caller may not do this; says which permission is missing.
    case forbidden(String)

    public var description: String {
        switch self {
        case .invalid(let field, let reason): return "\(field): \(reason)"
        case .notFound(let what): return "\(what) not found"
        case .conflict(let reason): return reason
        case .forbidden(let reason): return reason
        }
    }
}
