public import DeskgateJSON
import DeskgateCrypto

/// A tool call's arguments as an approval binds them: canonical JSON (object keys sorted at
/// every level, so the same arguments in another order are the same call) without the members
/// that steer the call rather than say what it does, and the SHA-256 of that text.
public struct ApprovedArguments: Sendable, Equatable {
    /// Members never bound: `dry_run` (an approval is for the real write), `approval_id` (the
    /// reference itself), `idempotency_key` (how to retry, not what to do) and `access_token`
    /// (a credential, never stored). The idempotency key's own digest uses the same rule.
    public static let unbound: Set<String> = ["dry_run", "approval_id", "idempotency_key", "access_token"]

    public let json: String
    public let digest: String

    public init(_ arguments: JSONObject) {
        let bytes = JSONValue.object(arguments).canonicalEncoded(leavingOut: Self.unbound)
        json = String(decoding: bytes, as: UTF8.self)
        digest = Hex.encode(SHA256.hash(bytes))
    }
}
