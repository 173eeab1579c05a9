/// Lifecycle of a published signing key: active keys sign and verify, retiring keys only
/// verify (tokens they signed are still live), retired keys do neither.
public enum SigningKeyState: String, Sendable, CaseIterable, SQLBindable {
    case active, retiring, retired
}

/// The public half of a deployment signing key, as published for the resource servers.
public struct SigningKey: Sendable, Equatable {
    public let kid: String
    public let alg: String
    public let publicJWKJSON: String
    public var state: SigningKeyState
    public let createdAt: Int64
    public var activatedAt: Int64?
    public var retiredAt: Int64?

    static let columns = "kid, alg, public_jwk_json, state, created_at, activated_at, retired_at"

    init(row: Statement) throws {
        kid = row.string(0)
        alg = row.string(1)
        publicJWKJSON = row.string(2)
        state = try row.value(SigningKeyState.self, 3)
        createdAt = row.int64(4)
        activatedAt = row.optionalInt64(5)
        retiredAt = row.optionalInt64(6)
    }
}
