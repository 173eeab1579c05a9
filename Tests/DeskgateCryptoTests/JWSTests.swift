import Testing
@testable import DeskgateCrypto

@Suite struct JWSTests {
    static let payload = Array(#"{"sub":"u1","exp":4102444800}"#.utf8)
    static var keys: (String) -> VerificationKey? { Fixtures.lookup(Fixtures.key.publicKey) }

    static func segments(_ token: String) -> [String] {
        token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// A token with a chosen header, signed properly by `key`, to test header rules in isolation.
    static func token(header: String, payload: [UInt8] = payload, key: SigningKey = Fixtures.key) -> String {
        let input = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        return input + "." + Base64URL.encode(ECDSASignature.sign(Array(input.utf8), with: key.key))
    }

    @Test func signVerifyRoundTrip() throws {
        let token = JWS.sign(payload: Self.payload, key: Fixtures.key)
        let (header, payload) = try JWS.verify(token, keys: Self.keys)
        #expect(payload == Self.payload)
        #expect(header == JWSHeader(algorithm: "ES256", type: "at+jwt", keyID: Fixtures.key.keyID))
        #expect(Base64URL.decode(Self.segments(token)[0])
            == Array(#"{"alg":"ES256","typ":"at+jwt","kid":"\#(Fixtures.key.keyID)"}"#.utf8))
        #expect(Base64URL.decode(Self.segments(token)[2])?.count == 64)
    }

    @Test func manySignaturesVerify() throws {
        // About 1 in 128 signatures has a short r or s: padding bugs show up within a few hundred.
        for i in 0..<300 {
            let token = JWS.sign(payload: Array("\(i)".utf8), key: Fixtures.key, type: "JWT")
            #expect(try JWS.verify(token, keys: Self.keys).payload == Array("\(i)".utf8))
        }
    }

    @Test func tamperedPayloadIsRejected() {
        var parts = Self.segments(JWS.sign(payload: Self.payload, key: Fixtures.key))
        parts[1] = Base64URL.encode(#"{"sub":"admin","exp":4102444800}"#)
        #expect(throws: JWSError.invalidSignature) { try JWS.verify(parts.joined(separator: "."), keys: Self.keys) }
    }

    @Test func tamperedHeaderIsRejected() {
        var parts = Self.segments(JWS.sign(payload: Self.payload, key: Fixtures.key))
        parts[0] = Base64URL.encode(#"{"alg":"ES256","typ":"JWT","kid":"\#(Fixtures.key.keyID)"}"#)
        #expect(throws: JWSError.invalidSignature) { try JWS.verify(parts.joined(separator: "."), keys: Self.keys) }
    }

    @Test func tamperedSignatureIsRejected() throws {
        var parts = Self.segments(JWS.sign(payload: Self.payload, key: Fixtures.key))
        var signature = try #require(Base64URL.decode(parts[2]))
        signature[10] ^= 0x01
        parts[2] = Base64URL.encode(signature)
        #expect(throws: JWSError.invalidSignature) { try JWS.verify(parts.joined(separator: "."), keys: Self.keys) }
    }

    @Test func nonCanonicalSignatureEncodingIsRejected() throws {
        // 64 bytes encode to 86 characters; the last one carries 4 unused bits that must be 0.
        let token = JWS.sign(payload: Self.payload, key: Fixtures.key)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var chars = Array(token)
        let last = try #require(alphabet.firstIndex(of: chars[chars.count - 1]))
        chars[chars.count - 1] = alphabet[last | 1]
        #expect(throws: JWSError.invalidEncoding) { try JWS.verify(String(chars), keys: Self.keys) }
    }

    @Test func signatureFromAnotherKeyIsRejected() {
        let forged = Self.token(header: #"{"alg":"ES256","kid":"\#(Fixtures.key.keyID)"}"#, key: Fixtures.otherKey)
        #expect(throws: JWSError.invalidSignature) { try JWS.verify(forged, keys: Self.keys) }
    }

    @Test func wrongSignatureLengthIsRejected() throws {
        var parts = Self.segments(JWS.sign(payload: Self.payload, key: Fixtures.key))
        parts[2] = Base64URL.encode(try #require(Base64URL.decode(parts[2])) + [0])
        #expect(throws: JWSError.invalidSignatureLength) { try JWS.verify(parts.joined(separator: "."), keys: Self.keys) }
    }

    static let kid = Fixtures.key.keyID

    @Test(arguments: [
        ("", JWSError.malformed),
        ("a.b", .malformed),
        ("a.b.c.d", .malformed),
        (String(repeating: "A", count: JWS.maxTokenLength + 1), .malformed),
        ("e30=.e30.AAAA", .invalidEncoding),
        ("e30.e30.A", .invalidEncoding),
        ("W10.e30.AAAA", .malformedHeader),        // header []
        ("e30.e30.AAAA", .malformedHeader),        // header {} has no alg
        ("bnVsbA.e30.AAAA", .malformedHeader),     // header null
    ])
    func structuralErrors(token: String, error: JWSError) {
        #expect(throws: error) { try JWS.verify(token, keys: Self.keys) }
    }

    @Test(arguments: [
        (#"{"alg":"none","kid":"\#(kid)"}"#, JWSError.unsupportedAlgorithm("none")),
        (#"{"alg":"HS256","kid":"\#(kid)"}"#, .unsupportedAlgorithm("HS256")),
        (#"{"alg":"es256","kid":"\#(kid)"}"#, .unsupportedAlgorithm("es256")),
        (#"{"alg":"ES256"}"#, .missingKeyID),
        (#"{"alg":"ES256","kid":"nope"}"#, .unknownKeyID),
        (#"{"alg":"ES256","kid":"\#(kid)","crit":["exp"]}"#, .unsupportedCriticalHeader),
        (#"{"alg":"ES256","kid":7}"#, .malformedHeader),
        (#"{"alg":["ES256"],"kid":"\#(kid)"}"#, .malformedHeader),
    ])
    func headerRules(header: String, error: JWSError) {
        #expect(throws: error) { try JWS.verify(Self.token(header: header), keys: Self.keys) }
    }

    @Test func algNoneWithEmptySignatureIsRejected() {
        let token = Base64URL.encode(#"{"alg":"none","kid":"\#(Self.kid)"}"#) + "." + Base64URL.encode(Self.payload) + "."
        #expect(throws: JWSError.unsupportedAlgorithm("none")) { try JWS.verify(token, keys: Self.keys) }
    }

    @Test func properlySignedCustomHeaderVerifies() throws {
        // Control for the header table: only the member under test makes those fail.
        #expect(throws: Never.self) { try JWS.verify(Self.token(header: #"{"alg":"ES256","kid":"\#(Self.kid)"}"#), keys: Self.keys) }
    }

    @Test(arguments: [
        ("at+jwt", "at+jwt", true),
        ("application/AT+JWT", "at+jwt", true),
        ("JWT", "at+jwt", false),
        (nil, "at+jwt", false),
    ] as [(String?, String, Bool)])
    func expectedType(type: String?, expected: String, accepted: Bool) {
        var header = #"{"alg":"ES256","kid":"\#(Self.kid)""#
        if let type { header += #","typ":"\#(type)""# }
        let token = Self.token(header: header + "}")
        if accepted {
            #expect(throws: Never.self) { try JWS.verify(token, expectedType: expected, keys: Self.keys) }
        } else {
            #expect(throws: JWSError.wrongType) { try JWS.verify(token, expectedType: expected, keys: Self.keys) }
        }
    }

    @Test func headerValuesAreJSONEscaped() throws {
        let token = JWS.sign(payload: [], key: Fixtures.key, type: "a\"b\\c\u{01}")
        #expect(try JWS.verify(token, keys: Self.keys).header.type == "a\"b\\c\u{01}")
    }

    @Test func rotatedKeysAreSelectedByKid() throws {
        let keys = Fixtures.lookup(Fixtures.key.publicKey, Fixtures.otherKey.publicKey)
        #expect(throws: Never.self) { try JWS.verify(JWS.sign(payload: [], key: Fixtures.otherKey), keys: keys) }
        #expect(throws: Never.self) { try JWS.verify(JWS.sign(payload: [], key: Fixtures.key), keys: keys) }
    }
}
