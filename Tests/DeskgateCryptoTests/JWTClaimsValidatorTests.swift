import FoundationEssentials
import Testing
@testable import DeskgateCrypto

@Suite struct JWTClaimsValidatorTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let issuer = "http://127.0.0.1:8001/t/acme"
    static let audience = "http://127.0.0.1:8002/t/acme/mcp"
    static let validator = JWTClaimsValidator(issuer: issuer, audience: audience, leeway: 60)

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let payload: String
        let error: JWTClaimsError?
        var testDescription: String { name }
    }

    static func claims(iss: String = #""\#(issuer)""#, aud: String = #""\#(audience)""#,
                       exp: String = "1800003600", extra: String = "") -> String {
        #"{"iss":\#(iss),"sub":"u1","aud":\#(aud),"exp":\#(exp)\#(extra)}"#
    }

    static let cases: [Case] = [
        Case(name: "valid", payload: claims(extra: #","iat":1800000000,"nbf":1800000000,"jti":"j1""#), error: nil),
        Case(name: "aud array containing ours", payload: claims(aud: #"["other","\#(audience)"]"#), error: nil),
        Case(name: "expired", payload: claims(exp: "1799990000"), error: .expired),
        Case(name: "expired exactly at leeway edge", payload: claims(exp: "1799999940"), error: .expired),
        Case(name: "expired within leeway", payload: claims(exp: "1799999950"), error: nil),
        Case(name: "fractional exp", payload: claims(exp: "1800000000.5"), error: nil),
        Case(name: "nbf in future", payload: claims(extra: #","nbf":1800000300"#), error: .notYetValid),
        Case(name: "nbf within leeway", payload: claims(extra: #","nbf":1800000030"#), error: nil),
        Case(name: "iat in future", payload: claims(extra: #","iat":1800000300"#), error: .issuedInFuture),
        Case(name: "wrong iss", payload: claims(iss: #""http://127.0.0.1:8001/t/other""#), error: .wrongIssuer),
        Case(name: "wrong aud", payload: claims(aud: #""http://127.0.0.1:8002/t/other/mcp""#), error: .wrongAudience),
        Case(name: "aud array without ours", payload: claims(aud: #"["a","b"]"#), error: .wrongAudience),
        Case(name: "empty aud array", payload: claims(aud: "[]"), error: .wrongAudience),
        Case(name: "missing exp", payload: #"{"iss":"\#(issuer)","aud":"\#(audience)"}"#, error: .missingClaim(.exp)),
        Case(name: "null exp", payload: claims(exp: "null"), error: .missingClaim(.exp)),
        Case(name: "missing iss", payload: #"{"aud":"\#(audience)","exp":1800003600}"#, error: .missingClaim(.iss)),
        Case(name: "missing aud", payload: #"{"iss":"\#(issuer)","exp":1800003600}"#, error: .missingClaim(.aud)),
        Case(name: "string exp", payload: claims(exp: #""1800003600""#), error: .malformedClaim(.exp)),
        Case(name: "numeric aud", payload: claims(aud: "5"), error: .malformedClaim(.aud)),
        Case(name: "mixed aud array", payload: claims(aud: #"["\#(audience)",5]"#), error: .malformedClaim(.aud)),
        Case(name: "numeric iss", payload: claims(iss: "1"), error: .malformedClaim(.iss)),
        Case(name: "not an object", payload: "[]", error: .malformedPayload),
        Case(name: "not JSON", payload: "exp", error: .malformedPayload),
    ]

    @Test(arguments: cases)
    func table(testCase: Case) {
        let payload = Array(testCase.payload.utf8)
        if let error = testCase.error {
            #expect(throws: error) { try Self.validator.validate(payload, now: Self.now) }
        } else {
            #expect(throws: Never.self) { try Self.validator.validate(payload, now: Self.now) }
        }
    }

    @Test func returnsTheRegisteredClaims() throws {
        let claims = try Self.validator.validate(
            Array(Self.claims(extra: #","iat":1800000000,"jti":"j1","scope":"tickets:read""#).utf8), now: Self.now)
        #expect(claims.issuer == Self.issuer)
        #expect(claims.subject == "u1")
        #expect(claims.audience == [Self.audience])
        #expect(claims.expiresAt == Date(timeIntervalSince1970: 1_800_003_600))
        #expect(claims.issuedAt == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(claims.jwtID == "j1")
    }

    @Test func issuerAndAudienceChecksCanBeSkipped() {
        let lenient = JWTClaimsValidator(issuer: nil, audience: nil)
        #expect(throws: Never.self) { try lenient.validate(Array(#"{"exp":1800003600}"#.utf8), now: Self.now) }
    }

    @Test func endToEndSignedAccessToken() throws {
        let token = JWS.sign(payload: Array(Self.claims().utf8), key: Fixtures.key)
        let verified = try JWS.verify(token, expectedType: "at+jwt", keys: Fixtures.lookup(Fixtures.key.publicKey))
        #expect(try Self.validator.validate(verified.payload, now: Self.now).subject == "u1")
    }
}

@Suite struct PKCETests {
    @Test func rfc7636AppendixB() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        #expect(PKCE.challengeS256(for: verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.verifyS256(verifier: verifier, challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        #expect(!PKCE.verifyS256(verifier: verifier, challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"))
    }

    @Test(arguments: [("short", false), (String(repeating: "a", count: 43), true),
                      (String(repeating: "a", count: 129), false), (String(repeating: "a", count: 42) + "+", false),
                      (String(repeating: "~", count: 128), true)])
    func verifierFormat(verifier: String, valid: Bool) {
        #expect(PKCE.isValidVerifier(verifier) == valid)
    }

    @Test func generatedVerifierIsValid() {
        #expect(PKCE.isValidVerifier(PKCE.generateVerifier()))
    }
}
