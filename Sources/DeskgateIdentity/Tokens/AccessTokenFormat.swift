import DeskgateJSON

/// The one place that knows how an access token's claims are named and typed: the token
/// service mints with it, the resource server's verifier and introspection read with it.
/// Signing and verifying the JWS around the payload is `JWS`'s business, not this type's.
struct AccessTokenFormat: Sendable {
    /// The JWS `typ` of access tokens (RFC 9068 §2.1).
    static let type = "at+jwt"

    /// The claims, spelled as on the wire.
    enum Claim: String, Sendable, CaseIterable {
        case issuer = "iss", subject = "sub", audience = "aud", clientID = "client_id", scope
        case tenant, issuedAt = "iat", notBefore = "nbf", expiresAt = "exp", tokenID = "jti", grantID = "grant_id"
    }

    /// Why a (verified) payload is not a Deskgate access token.
    enum Failure: Error, Equatable, Sendable {
        /// Not a JSON object.
        case malformedPayload
        case missingClaim(Claim)
        /// Present with the wrong JSON type or an impossible value (`sub` not a user id).
        case malformedClaim(Claim)
    }

    /// The payload bytes, members in one fixed order (iss, sub, aud, client_id, scope, tenant,
    /// iat, nbf, exp, jti, grant_id); a single audience is written as a string.
    static func mint(_ claims: BearerAccessTokenClaims) -> [UInt8] {
        var w = JSONWriter(capacity: 384)
        w.beginObject()
        w.key(literal: "iss"); w.string(claims.issuer)
        w.key(literal: "sub"); w.string(plain: String(claims.userID))
        w.key(literal: "aud")
        if claims.audience.count == 1 {
            w.string(claims.audience[0])
        } else {
            w.beginArray()
            for resource in claims.audience { w.string(resource) }
            w.endArray()
        }
        w.key(literal: "client_id"); w.string(claims.clientID)
        w.key(literal: "scope"); w.string(claims.scope)
        if let tenant = claims.tenant { w.key(literal: "tenant"); w.string(tenant) }
        w.key(literal: "iat"); w.number(Int(claims.issuedAt))
        if let notBefore = claims.notBefore { w.key(literal: "nbf"); w.number(Int(notBefore)) }
        w.key(literal: "exp"); w.number(Int(claims.expiresAt))
        w.key(literal: "jti"); w.string(claims.tokenID)
        w.key(literal: "grant_id"); w.number(Int(claims.grantID))
        w.endObject()
        return w.bytes
    }

    /// Reads a payload whose signature verified. Required: what RFC 9068 §2.2 requires (iss,
    /// sub, aud, exp, iat, jti, client_id) and `grant_id`; `scope`, `tenant` and `nbf` may be
    /// absent. JSON null counts as absent; times are whole seconds.
    static func parse(_ payload: [UInt8]) throws(Failure) -> BearerAccessTokenClaims {
        guard let object = (try? JSONParser.parse(payload))?.objectValue else { throw .malformedPayload }
        let claims = Members(object: object)
        let sub = try claims.required(.subject) { $0.stringValue }
        // Digits only: no sign, no spaces, no leading zeros beyond "0" itself.
        guard let userID = Int64(sub), userID > 0, String(userID) == sub else { throw .malformedClaim(.subject) }
        return BearerAccessTokenClaims(
            issuer: try claims.required(.issuer) { $0.stringValue },
            userID: userID,
            audience: try claims.required(.audience, audiences),
            clientID: try claims.required(.clientID) { $0.stringValue },
            scope: try claims.optional(.scope) { $0.stringValue } ?? "",
            tenant: try claims.optional(.tenant) { $0.stringValue },
            issuedAt: try claims.required(.issuedAt, time),
            notBefore: try claims.optional(.notBefore, time),
            expiresAt: try claims.required(.expiresAt, time),
            tokenID: try claims.required(.tokenID) { $0.stringValue },
            grantID: try claims.required(.grantID, integer))
    }

    /// RFC 7519 §4.1.3: one string or an array of strings.
    private static func audiences(_ value: JSONValue) -> [String]? {
        if let single = value.stringValue { return [single] }
        guard let many = value.arrayValue else { return nil }
        let strings = many.compactMap(\.stringValue)
        return strings.count == many.count ? strings : nil
    }

    /// A plain JSON integer; `1.5`, `1e3` and strings are not.
    private static func integer(_ value: JSONValue) -> Int64? {
        value.intValue.map(Int64.init)
    }

    /// Whole Unix seconds up to the year 9999, so milliseconds never overflow.
    private static func time(_ value: JSONValue) -> Int64? {
        guard let seconds = integer(value), (0...253_402_300_799).contains(seconds) else { return nil }
        return seconds
    }

    /// Looks claims up by their wire names and reports each failure under the claim's name.
    private struct Members {
        let object: JSONObject

        func optional<T>(_ claim: Claim, _ read: (JSONValue) -> T?) throws(Failure) -> T? {
            guard let value = object[claim.rawValue], !value.isNull else { return nil }
            guard let typed = read(value) else { throw .malformedClaim(claim) }
            return typed
        }

        func required<T>(_ claim: Claim, _ read: (JSONValue) -> T?) throws(Failure) -> T {
            guard let typed = try optional(claim, read) else { throw .missingClaim(claim) }
            return typed
        }
    }
}
