public import FoundationEssentials

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
struct RegisteredClaims: Decodable {
    var iss: String?
    var sub: String?
    var aud: [String]?
    var exp: Double?
    var nbf: Double?
    var iat: Double?
    var jti: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, nbf, iat, jti
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        iss = try Self.field(c, .iss, .iss) { try c.decode(String.self, forKey: .iss) }
        sub = try Self.field(c, .sub, .sub) { try c.decode(String.self, forKey: .sub) }
        jti = try Self.field(c, .jti, .jti) { try c.decode(String.self, forKey: .jti) }
        exp = try Self.field(c, .exp, .exp) { try Self.time(c, .exp, .exp) }
        nbf = try Self.field(c, .nbf, .nbf) { try Self.time(c, .nbf, .nbf) }
        iat = try Self.field(c, .iat, .iat) { try Self.time(c, .iat, .iat) }
        // RFC 7519 §4.1.3: a single string or an array of strings.
        aud = try Self.field(c, .aud, .aud) {
            if let single = try? c.decode(String.self, forKey: .aud) { return [single] }
            return try c.decode([String].self, forKey: .aud)
        }
    }

    /// Absent or JSON null means absent; a present value of the wrong type is an error
    /// naming the claim.
    private static func field<T>(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys,
                                 _ name: JWTClaimName, _ decode: () throws -> T) throws -> T? {
        guard c.contains(key), !((try? c.decodeNil(forKey: key)) ?? false) else { return nil }
        do {
            return try decode()
        } catch {
            throw JWTClaimsError.malformedClaim(name)
        }
    }

    private static func time(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys,
                             _ name: JWTClaimName) throws -> Double {
        let value = try c.decode(Double.self, forKey: key)
        guard value.isFinite else { throw JWTClaimsError.malformedClaim(name) }
        return value
    }
}
