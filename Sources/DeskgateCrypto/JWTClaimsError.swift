/// Why a verified token's claims were refused.
public enum JWTClaimsError: Error, Equatable, Sendable {
    /// The payload is not a JSON object.
    case malformedPayload
    case missingClaim(JWTClaimName)
    /// A registered claim with the wrong JSON type (or a non-finite time).
    case malformedClaim(JWTClaimName)
    case expired
    case notYetValid
    /// `iat` lies further in the future than the leeway allows.
    case issuedInFuture
    case wrongIssuer
    case wrongAudience
}

/// The registered claims (RFC 7519 §4.1) the validator inspects.
public enum JWTClaimName: String, Sendable, Equatable {
    case iss, sub, aud, exp, nbf, iat, jti
}
