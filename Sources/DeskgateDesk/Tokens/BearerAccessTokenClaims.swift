import Foundation

/// The claims of a Deskgate access token beyond the registered ones `JWTClaimsValidator`
/// checks (contract: RFC 9068 profile of `deskgate-auth`). Decoded only from a payload whose
/// signature verified, once per token.
struct BearerAccessTokenClaims: Decodable {
    /// The user id, as a decimal string (RFC 9068 §2.2: `sub` is a string).
    let subject: Int64
    let clientID: String
    /// Space-separated; names this server does not know (`offline_access`) are ignored.
    let scope: String
    /// The tenant slug; tells "another tenant's token" apart from "a foreign issuer".
    let tenant: String?
    let grantID: Int64
    /// Read again here only to name the tenant when `iss` is another of our issuers.
    let issuer: String?

    enum CodingKeys: String, CodingKey {
        case sub, scope, tenant, iss
        case clientID = "client_id"
        case grantID = "grant_id"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let sub = try c.decode(String.self, forKey: .sub)
        // Digits only: no sign, no spaces, no leading zeros beyond "0" itself.
        guard let subject = Int64(sub), subject > 0, String(subject) == sub else {
            throw DecodingError.dataCorruptedError(forKey: .sub, in: c, debugDescription: "sub is not a user id")
        }
        self.subject = subject
        clientID = try c.decode(String.self, forKey: .clientID)
        scope = try c.decodeIfPresent(String.self, forKey: .scope) ?? ""
        tenant = try c.decodeIfPresent(String.self, forKey: .tenant)
        grantID = try c.decode(Int64.self, forKey: .grantID)
        issuer = try? c.decode(String.self, forKey: .iss)
    }

    static func decode(_ payload: [UInt8]) -> BearerAccessTokenClaims? {
        try? JSONDecoder().decode(BearerAccessTokenClaims.self, from: Data(payload))
    }

    /// The scopes this server knows, among `scope`'s names.
    var scopes: Set<Scope> {
        Set(scope.split(separator: " ").compactMap { Scope(rawValue: String($0)) })
    }
}
