public import FoundationEssentials
import DeskgateJSON

/// The registered claims of a token whose claims passed validation.
/// Private claims (`scope`, `client_id`, `tenant`, ...) are decoded by the caller from the
/// same payload bytes.
public struct JWTClaims: Sendable, Equatable {
    public let issuer: String?
    public let subject: String?
    public let audience: [String]
    public let expiresAt: Date
    public let notBefore: Date?
    public let issuedAt: Date?
    public let jwtID: String?
}

/// Wire form of the registered claims; each type error is reported per claim.
struct RegisteredClaims {
    var iss: String?
    var sub: String?
    var aud: [String]?
    var exp: Double?
    var nbf: Double?
    var iat: Double?
    var jti: String?

    init(payload: [UInt8]) throws(JWTClaimsError) {
        guard let object = (try? JSONParser.parse(payload))?.objectValue else { throw .malformedPayload }
        iss = try Self.field(object, .iss) { $0.stringValue }
        sub = try Self.field(object, .sub) { $0.stringValue }
        jti = try Self.field(object, .jti) { $0.stringValue }
        exp = try Self.field(object, .exp, Self.time)
        nbf = try Self.field(object, .nbf, Self.time)
        iat = try Self.field(object, .iat, Self.time)
        // RFC 7519 §4.1.3: a single string or an array of strings.
        aud = try Self.field(object, .aud) { value in
            if let single = value.stringValue { return [single] }
            guard let many = value.arrayValue else { return nil }
            let strings = many.compactMap(\.stringValue)
            return strings.count == many.count ? strings : nil
        }
    }

    /// Absent or JSON null means absent; a present value of the wrong type is an error
    /// naming the claim.
    private static func field<T>(_ object: JSONObject, _ name: JWTClaimName,
                                 _ read: (JSONValue) -> T?) throws(JWTClaimsError) -> T? {
        guard let value = object[name.rawValue], !value.isNull else { return nil }
        guard let typed = read(value) else { throw .malformedClaim(name) }
        return typed
    }

    private static func time(_ value: JSONValue) -> Double? {
        guard let seconds = value.doubleValue, seconds.isFinite else { return nil }
        return seconds
    }
}
