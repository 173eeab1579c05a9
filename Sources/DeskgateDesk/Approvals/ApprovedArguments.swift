public import DeskgateJSON
import DeskgateCrypto

/// A tool call's arguments as an approval binds them: canonical JSON (object keys sorted at
/// every level, so the same arguments in another order are the same call) without the members
/// that steer the call rather than say what it does, and the SHA-256 of that text.
public struct ApprovedArguments: Sendable, Equatable {
    /// Members never bound: `dry_run` (an approval is for the real write), `approval_id` (the
    /// reference itself) and `access_token` (a credential, never stored).
    public static let unbound: Set<String> = ["dry_run", "approval_id", "access_token"]

    public let json: String
    public let digest: String

    public init(_ arguments: JSONObject) {
        var kept = JSONObject()
        for (key, value) in arguments where !Self.unbound.contains(key) { kept[key] = value }
        json = Self.canonical(.object(kept)).text
        digest = Hex.encode(SHA256.hash(json))
    }

    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.map { ($0.key, canonical($0.value)) }.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }))
        case .array(let items):
            return .array(items.map(canonical))
        default:
            return value
        }
    }
}
