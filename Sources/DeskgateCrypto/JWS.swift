/// JWS compact serialization (RFC 7515) with ES256 (RFC 7518 §3.4).
///
/// The accepted algorithm comes from the key the `kid` names, never from the token
/// alone, so `alg: none` and algorithm-confusion tokens cannot verify.
public enum JWS {
    /// Longer tokens are refused before any parsing or crypto work.
    public static let maxTokenLength = 16 * 1024

    /// `base64url(header).base64url(payload).base64url(r‖s)` with header
    /// `{"alg":"ES256","typ":<type>,"kid":<key thumbprint>}`.
    public static func sign(payload: [UInt8], key: SigningKey, type: String = "at+jwt") -> String {
        let header = JWSHeader(algorithm: key.algorithm.rawValue, type: type, keyID: key.keyID)
        let signingInput = Base64URL.encode(header.json) + "." + Base64URL.encode(payload)
        let signature = ECDSASignature.sign(Array(signingInput.utf8), with: key.key)
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// Checks structure, encoding, algorithm, key and signature, and returns the header
    /// and payload bytes. Claims (`exp`, `aud`, ...) are not checked here: the access-token
    /// format that knows them checks them (`AccessTokenFormat`, DeskgateIdentity).
    ///
    /// - Parameters:
    ///   - keys: the key for a `kid`, or nil when unknown.
    ///   - expectedType: when set, `typ` must equal it, ignoring case and an
    ///     `application/` prefix (RFC 9068 §4 requires this for access tokens).
    public static func verify(_ token: String, expectedType: String? = nil,
                              keys: (String) -> VerificationKey?) throws(JWSError) -> (header: JWSHeader, payload: [UInt8]) {
        let bytes = Array(token.utf8)
        guard bytes.count <= maxTokenLength else { throw .malformed }
        let segments = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3 else { throw .malformed }
        guard let headerBytes = Base64URL.decode(utf8: segments[0]),
              let payload = Base64URL.decode(utf8: segments[1]),
              let signature = Base64URL.decode(utf8: segments[2])
        else { throw .invalidEncoding }

        let header = try JWSHeader.parse(headerBytes)
        guard let algorithm = JWSAlgorithm(rawValue: header.algorithm) else {
            throw .unsupportedAlgorithm(header.algorithm)
        }
        if let expectedType {
            guard let type = header.type, normalizedType(type) == normalizedType(expectedType) else {
                throw .wrongType
            }
        }
        guard let kid = header.keyID else { throw .missingKeyID }
        guard let key = keys(kid) else { throw .unknownKeyID }
        guard key.algorithm == algorithm else { throw .algorithmMismatch }
        guard signature.count == ECDSASignature.rawLength else { throw .invalidSignatureLength }

        // The signature covers the segments exactly as sent (RFC 7515 §5.2 step 8).
        let signingInput = Array(bytes[..<segments[1].endIndex])
        guard ECDSASignature.verify(signature, message: signingInput, with: key.key) else {
            throw .invalidSignature
        }
        return (header, payload)
    }

    private static func normalizedType(_ type: String) -> String {
        let lower = type.lowercased()
        return lower.hasPrefix("application/") ? String(lower.dropFirst("application/".count)) : lower
    }
}
