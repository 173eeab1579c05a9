import DeskgateJSON

/// A public ES256 (P-256) key: verifies JWS signatures and is published as a JWK.
///
/// `@unchecked Sendable`: the EVP_PKEY inside is safe for concurrent use once built,
/// and every other stored property is an immutable value.
public final class VerificationKey: @unchecked Sendable {
    public let algorithm: JWSAlgorithm
    /// The `kid` tokens name this key by: the JWK's own `kid` when imported with one,
    /// otherwise the RFC 7638 thumbprint.
    public let keyID: String
    /// RFC 7638 JWK SHA-256 thumbprint, base64url.
    public let thumbprint: String
    let x: [UInt8]
    let y: [UInt8]
    let key: EVPKey

    init(x: [UInt8], y: [UInt8], keyID: String?) throws(KeyError) {
        self.key = try EVPKey.p256PublicKey(x: x, y: y)
        self.algorithm = .es256
        self.x = x
        self.y = y
        // Members in lexicographic order with no whitespace, exactly as RFC 7638 §3.2 requires.
        let canonical = JSONValue.object(JSONObject([
            ("crv", "P-256"), ("kty", "EC"), ("x", .string(Base64URL.encode(x))), ("y", .string(Base64URL.encode(y))),
        ])).encoded()
        self.thumbprint = Base64URL.encode(SHA256.hash(canonical))
        self.keyID = keyID ?? thumbprint
    }

    /// Imports a JWK given as string members (`kty`, `crv`, `x`, `y`, optional `kid`,
    /// `alg`, `use`). Anything but an EC P-256 signing key for ES256 is refused.
    public convenience init(jwk: [String: String]) throws(KeyError) {
        guard let kty = jwk["kty"] else { throw .invalidJWK }
        guard kty == "EC" else { throw .unsupportedKeyType }
        guard let crv = jwk["crv"] else { throw .invalidJWK }
        guard crv == "P-256" else { throw .unsupportedKeyType }
        if let alg = jwk["alg"], alg != JWSAlgorithm.es256.rawValue { throw .unsupportedKeyType }
        if let use = jwk["use"], use != "sig" { throw .unsupportedKeyType }
        // Canonical base64url and exact widths: a coordinate has one valid spelling.
        guard let xText = jwk["x"], let yText = jwk["y"],
              let x = Base64URL.decode(xText), let y = Base64URL.decode(yText),
              x.count == 32, y.count == 32
        else { throw .invalidJWK }
        if let kid = jwk["kid"], kid.isEmpty { throw .invalidJWK }
        try self.init(x: x, y: y, keyID: jwk["kid"])
    }

    /// Imports one JWK from JSON; non-string members (`key_ops`, ...) are ignored.
    public convenience init(jwkJSON: some Collection<UInt8>) throws(KeyError) {
        guard let object = (try? JSONParser.parse(Array(jwkJSON)))?.objectValue else { throw .invalidJWK }
        try self.init(jwk: Self.stringMembers(of: object))
    }

    public convenience init(pem: String) throws(KeyError) {
        let key = try EVPKey.fromPEM(pem, kind: .publicKey)
        guard key.isP256 else { throw .unsupportedKeyType }
        let (x, y) = try key.p256Coordinates()
        try self.init(x: x, y: y, keyID: nil)
    }

    /// The public JWK as string members.
    public var jwk: [String: String] {
        Dictionary(uniqueKeysWithValues: jwkMembers)
    }

    /// `{"kty":"EC","crv":"P-256","x":…,"y":…,"kid":…,"alg":"ES256","use":"sig"}`.
    public var jwkJSON: String {
        jwkObject.text
    }

    /// The public JWK as an object, members in `jwkJSON`'s order.
    var jwkObject: JSONValue {
        .object(JSONObject(jwkMembers.map { ($0.0, .string($0.1)) }))
    }

    /// A JWK's string-valued members; the rest (`key_ops`, ...) play no part here.
    static func stringMembers(of object: JSONObject) -> [String: String] {
        var strings: [String: String] = [:]
        for (key, value) in object {
            if let text = value.stringValue { strings[key] = text }
        }
        return strings
    }

    /// SubjectPublicKeyInfo PEM (`BEGIN PUBLIC KEY`), for tools that want PEM over JWK.
    public func pemPublicKey() -> String {
        key.pem(.publicKey)
    }

    private var jwkMembers: [(String, String)] {
        [("kty", "EC"), ("crv", "P-256"), ("x", Base64URL.encode(x)), ("y", Base64URL.encode(y)),
         ("kid", keyID), ("alg", algorithm.rawValue), ("use", "sig")]
    }
}
