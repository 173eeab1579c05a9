/// Lifecycle of a published signing key: active keys sign and verify, retiring keys only
/// verify (tokens they signed are still live), retired keys do neither.
public enum SigningKeyState: String, Sendable, CaseIterable {
    case active, retiring, retired
}

/// The public half of a deployment signing key, as published for the resource servers.
public struct PublishedSigningKey: Sendable, Equatable {
    public let kid: String
    public let alg: String
    public let publicJWKJSON: String
    public var state: SigningKeyState
    public let createdAt: Int64
    public var activatedAt: Int64?
    public var retiredAt: Int64?

    public init(kid: String, alg: String, publicJWKJSON: String, state: SigningKeyState, createdAt: Int64,
                activatedAt: Int64?, retiredAt: Int64?) {
        self.kid = kid
        self.alg = alg
        self.publicJWKJSON = publicJWKJSON
        self.state = state
        self.createdAt = createdAt
        self.activatedAt = activatedAt
        self.retiredAt = retiredAt
    }
}
