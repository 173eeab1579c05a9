/// JWS signature algorithms this target implements (RFC 7518 names). Only ES256 today;
/// EdDSA would be a new case plus a key type, with no change to callers of `JWS`.
public enum JWSAlgorithm: String, Sendable, CaseIterable {
    case es256 = "ES256"
}
