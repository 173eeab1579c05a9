internal import FoundationEssentials

/// The protected header members this target reads.
public struct JWSHeader: Sendable, Equatable {
    public let algorithm: String
    public let type: String?
    public let keyID: String?

    public init(algorithm: String, type: String?, keyID: String?) {
        self.algorithm = algorithm
        self.type = type
        self.keyID = keyID
    }

    /// `{"alg":…,"typ":…,"kid":…}`, members in that order, absent ones omitted.
    var json: String {
        var members = [("alg", algorithm)]
        if let type { members.append(("typ", type)) }
        if let keyID { members.append(("kid", keyID)) }
        return JSONText.object(members)
    }

    static func parse(_ bytes: [UInt8]) throws(JWSError) -> JWSHeader {
        let wire: WireHeader
        do {
            wire = try JSONDecoder().decode(WireHeader.self, from: Data(bytes))
        } catch {
            throw .malformedHeader
        }
        // RFC 7515 §4.1.11: a recipient that does not understand a listed critical
        // extension must reject the JWS, and we understand none.
        guard !wire.hasCritical else { throw .unsupportedCriticalHeader }
        return JWSHeader(algorithm: wire.alg, type: wire.typ, keyID: wire.kid)
    }

    private struct WireHeader: Decodable {
        let alg: String
        let typ: String?
        let kid: String?
        let hasCritical: Bool

        enum CodingKeys: String, CodingKey {
            case alg, typ, kid, crit
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            alg = try c.decode(String.self, forKey: .alg)
            typ = try c.decodeIfPresent(String.self, forKey: .typ)
            kid = try c.decodeIfPresent(String.self, forKey: .kid)
            hasCritical = c.contains(.crit)
        }
    }
}
