/// Why a compact JWS was refused. Callers answer 401 for all of them; the case is for logs.
public enum JWSError: Error, Equatable, Sendable {
    /// Not three dot-separated segments, or longer than `JWS.maxTokenLength`.
    case malformed
    /// A segment that is not canonical unpadded base64url.
    case invalidEncoding
    /// The header is not a JSON object with string `alg` (and string `typ`/`kid` if present).
    case malformedHeader
    /// `alg` is not one this verifier accepts (including `none`).
    case unsupportedAlgorithm(String)
    /// The header lists `crit` extensions, none of which this verifier implements.
    case unsupportedCriticalHeader
    case missingKeyID
    case unknownKeyID
    /// The key named by `kid` is for a different algorithm than the header's `alg`.
    case algorithmMismatch
    /// `typ` is not the type the caller requires (e.g. `at+jwt` for access tokens).
    case wrongType
    case invalidSignatureLength
    case invalidSignature
}
