public import FoundationEssentials

/// Validates the registered claims of a JWT payload that `JWS.verify` already accepted.
///
/// `exp` is always required: the design's tokens are short-lived, and a token without
/// an expiry would stay valid forever.
public struct JWTClaimsValidator: Sendable {
    /// Required `iss`, compared exactly; nil skips the check.
    public let issuer: String?
    /// Required member of `aud`, compared exactly; nil skips the check.
    public let audience: String?
    /// Tolerance for clock differences between the servers that mint and check tokens.
    public let leeway: TimeInterval

    public init(issuer: String?, audience: String?, leeway: TimeInterval = 60) {
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
    }

    public func validate(_ payload: [UInt8], now: Date = Date()) throws(JWTClaimsError) -> JWTClaims {
        let wire = try RegisteredClaims(payload: payload)
        let t = now.timeIntervalSince1970

        guard let exp = wire.exp else { throw .missingClaim(.exp) }
        // RFC 7519 §4.1.4: the current time must be before exp.
        guard t < exp + leeway else { throw .expired }
        if let nbf = wire.nbf, t + leeway < nbf { throw .notYetValid }
        if let iat = wire.iat, iat > t + leeway { throw .issuedInFuture }

        if let issuer {
            guard let iss = wire.iss else { throw .missingClaim(.iss) }
            guard iss == issuer else { throw .wrongIssuer }
        }
        if let audience {
            guard let aud = wire.aud else { throw .missingClaim(.aud) }
            guard aud.contains(audience) else { throw .wrongAudience }
        }

        return JWTClaims(
            issuer: wire.iss, subject: wire.sub, audience: wire.aud ?? [],
            expiresAt: Date(timeIntervalSince1970: exp),
            notBefore: wire.nbf.map(Date.init(timeIntervalSince1970:)),
            issuedAt: wire.iat.map(Date.init(timeIntervalSince1970:)),
            jwtID: wire.jti)
    }
}
