internal import FoundationEssentials

/// JWK Set documents (RFC 7517 §5), as served at `/jwks.json`.
public enum JWKSet {
    /// `{"keys":[…]}` with each key's `jwkJSON`, in the given order.
    public static func json(_ keys: [VerificationKey]) -> String {
        "{\"keys\":[" + keys.map(\.jwkJSON).joined(separator: ",") + "]}"
    }

    /// The usable keys of a JWK Set. Keys of other types or curves are skipped, as RFC
    /// 7517 §5 asks, so a set shared with RSA or EdDSA keys still loads; a malformed
    /// document or a malformed P-256 key is an error.
    public static func keys(fromJSON bytes: some Collection<UInt8>) throws(KeyError) -> [VerificationKey] {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            throw .invalidJWK
        }
        var keys: [VerificationKey] = []
        for members in document.keys {
            do {
                keys.append(try VerificationKey(jwk: members.strings))
            } catch .unsupportedKeyType {
                continue
            }
        }
        return keys
    }

    private struct Document: Decodable {
        let keys: [JWKMembers]
    }
}
