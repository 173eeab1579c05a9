import DeskgateJSON

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
    var json: [UInt8] {
        var header = JSONObject([("alg", .string(algorithm))])
        if let type { header["typ"] = .string(type) }
        if let keyID { header["kid"] = .string(keyID) }
        return JSONValue.object(header).encoded()
    }

    static func parse(_ bytes: [UInt8]) throws(JWSError) -> JWSHeader {
        guard let header = (try? JSONParser.parse(bytes))?.objectValue,
              let alg = header["alg"]?.stringValue,
              let type = optionalString(header["typ"]),
              let kid = optionalString(header["kid"])
        else { throw .malformedHeader }
        // RFC 7515 §4.1.11: a recipient that does not understand a listed critical
        // extension must reject the JWS, and we understand none.
        guard header["crit"] == nil else { throw .unsupportedCriticalHeader }
        return JWSHeader(algorithm: alg, type: type, keyID: kid)
    }

    /// Absent or null is `.some(nil)`; a present value of another type is nil (malformed).
    private static func optionalString(_ value: JSONValue?) -> String?? {
        guard let value, !value.isNull else { return .some(nil) }
        return value.stringValue.map { .some($0) }
    }
}
