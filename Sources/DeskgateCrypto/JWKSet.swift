import DeskgateJSON

/// JWK Set documents (RFC 7517 §5), as served at `/jwks.json`.
public enum JWKSet {
    /// `{"keys":[…]}` with each key's `jwkJSON`, in the given order.
    public static func json(_ keys: [VerificationKey]) -> String {
        JSONValue.object(["keys": .array(keys.map(\.jwkObject))]).text
    }

    /// The usable keys of a JWK Set. Keys of other types or curves are skipped, as RFC
    /// 7517 §5 asks, so a set shared with RSA or EdDSA keys still loads; a malformed
    /// document or a malformed P-256 key is an error.
    public static func keys(fromJSON bytes: some Collection<UInt8>) throws(KeyError) -> [VerificationKey] {
        guard let entries = (try? JSONParser.parse(Array(bytes)))?["keys"]?.arrayValue else { throw .invalidJWK }
        var keys: [VerificationKey] = []
        for entry in entries {
            guard let members = entry.objectValue else { throw .invalidJWK }
            do {
                keys.append(try VerificationKey(jwk: VerificationKey.stringMembers(of: members)))
            } catch .unsupportedKeyType {
                continue
            }
        }
        return keys
    }
}
