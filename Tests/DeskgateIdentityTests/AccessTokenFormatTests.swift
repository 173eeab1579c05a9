import DeskgateJSON
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity

@Suite("Access token format")
struct AccessTokenFormatTests {
    static let claims = BearerAccessTokenClaims(
        issuer: "https://auth.example.test/t/acme", userID: 42, audience: ["https://mcp.example.test/t/acme/mcp"],
        clientID: "app-1", scope: "tickets:read tickets:write", tenant: "acme", issuedAt: 1_800_000_000,
        notBefore: 1_800_000_000, expiresAt: 1_800_003_600, tokenID: "3q2-7w8BAgMEBQYHCAkKCw", grantID: 7)

    /// The payload as `deskgate-auth` mints it, with `changes` applied (nil removes a member).
    static func payload(_ changes: [(String, JSONValue?)] = []) -> [UInt8] {
        var object = JSONParser.parseObjectForTests(AccessTokenFormat.mint(claims))
        for (name, value) in changes { object[name] = value }
        return JSONValue.object(object).encoded()
    }

    @Test func mintsTheContractsClaimsInOrder() throws {
        let text = String(decoding: AccessTokenFormat.mint(Self.claims), as: UTF8.self)
        #expect(text == #"{"iss":"https://auth.example.test/t/acme","sub":"42","aud":"https://mcp.example.test/t/acme/mcp","#
            + #""client_id":"app-1","scope":"tickets:read tickets:write","tenant":"acme","iat":1800000000,"#
            + #""nbf":1800000000,"exp":1800003600,"jti":"3q2-7w8BAgMEBQYHCAkKCw","grant_id":7}"#)
        let object = JSONParser.parseObjectForTests(AccessTokenFormat.mint(Self.claims))
        #expect(object.keys == ["iss", "sub", "aud", "client_id", "scope", "tenant", "iat", "nbf", "exp", "jti", "grant_id"])
        #expect(object.keys == AccessTokenFormat.Claim.allCases.map(\.rawValue))
    }

    static let roundTrips: [BearerAccessTokenClaims] = {
        var bare = claims
        bare.tenant = nil
        bare.notBefore = nil
        bare.scope = ""
        var spread = claims
        spread.audience = ["https://a.example/mcp", "https://b.example/mcp"]
        spread.issuer = "https://auth.example.test/t/\u{E9}\"quoted\"/path"
        return [claims, bare, spread]
    }()

    @Test(arguments: roundTrips)
    func parsesWhatItMints(_ claims: BearerAccessTokenClaims) throws {
        #expect(try AccessTokenFormat.parse(AccessTokenFormat.mint(claims)) == claims)
    }

    @Test func emptyScopeAndAbsentOptionalsAreWrittenAsTheyRead() throws {
        var bare = Self.claims
        bare.tenant = nil
        bare.notBefore = nil
        let object = JSONParser.parseObjectForTests(AccessTokenFormat.mint(bare))
        #expect(object["tenant"] == nil && object["nbf"] == nil)
    }

    /// Each row changes one member of a valid payload; nil: it still parses.
    static let rows: [(name: String, changes: [(String, JSONValue?)], failure: AccessTokenFormat.Failure?)] = [
        ("valid", [], nil),
        ("no iss", [("iss", nil)], .missingClaim(.issuer)),
        ("numeric iss", [("iss", 1)], .malformedClaim(.issuer)),
        ("no sub", [("sub", nil)], .missingClaim(.subject)),
        ("numeric sub", [("sub", 42)], .malformedClaim(.subject)),
        ("sub with a leading zero", [("sub", "042")], .malformedClaim(.subject)),
        ("negative sub", [("sub", "-42")], .malformedClaim(.subject)),
        ("zero sub", [("sub", "0")], .malformedClaim(.subject)),
        ("sub not a number", [("sub", "dana")], .malformedClaim(.subject)),
        ("no aud", [("aud", nil)], .missingClaim(.audience)),
        ("null aud", [("aud", .null)], .missingClaim(.audience)),
        ("numeric aud", [("aud", 5)], .malformedClaim(.audience)),
        ("mixed aud array", [("aud", ["https://mcp.example.test/t/acme/mcp", 5])], .malformedClaim(.audience)),
        ("aud array", [("aud", ["https://x.example", "https://mcp.example.test/t/acme/mcp"])], nil),
        ("no client_id", [("client_id", nil)], .missingClaim(.clientID)),
        ("numeric client_id", [("client_id", 1)], .malformedClaim(.clientID)),
        ("no scope", [("scope", nil)], nil),
        ("array scope", [("scope", ["tickets:read"])], .malformedClaim(.scope)),
        ("no tenant", [("tenant", nil)], nil),
        ("boolean tenant", [("tenant", true)], .malformedClaim(.tenant)),
        ("no iat", [("iat", nil)], .missingClaim(.issuedAt)),
        ("string iat", [("iat", "1800000000")], .malformedClaim(.issuedAt)),
        ("fractional iat", [("iat", 1_800_000_000.5)], .malformedClaim(.issuedAt)),
        ("negative iat", [("iat", -1)], .malformedClaim(.issuedAt)),
        ("no nbf", [("nbf", nil)], nil),
        ("null nbf", [("nbf", .null)], nil),
        ("string nbf", [("nbf", "soon")], .malformedClaim(.notBefore)),
        ("no exp", [("exp", nil)], .missingClaim(.expiresAt)),
        ("null exp", [("exp", .null)], .missingClaim(.expiresAt)),
        ("string exp", [("exp", "1800003600")], .malformedClaim(.expiresAt)),
        ("exponent exp", [("exp", .number(JSONNumber(text: "18e8")!))], .malformedClaim(.expiresAt)),
        ("exp past year 9999", [("exp", 253_402_300_800)], .malformedClaim(.expiresAt)),
        ("no jti", [("jti", nil)], .missingClaim(.tokenID)),
        ("numeric jti", [("jti", 9)], .malformedClaim(.tokenID)),
        ("no grant_id", [("grant_id", nil)], .missingClaim(.grantID)),
        ("string grant_id", [("grant_id", "7")], .malformedClaim(.grantID)),
        ("fractional grant_id", [("grant_id", 7.0)], .malformedClaim(.grantID)),
        ("unknown claim", [("acr", "1")], nil),
    ]

    @Test func eachClaimIsCheckedByNameAndType() {
        for row in Self.rows {
            let outcome = Result { () throws(AccessTokenFormat.Failure) in try AccessTokenFormat.parse(Self.payload(row.changes)) }
            switch (outcome, row.failure) {
            case (.success, nil): break
            case (.failure(let failure), let expected?): #expect(failure == expected, "\(row.name)")
            default: Issue.record("\(row.name): got \(outcome), expected \(String(describing: row.failure))")
            }
        }
    }

    @Test(arguments: ["[]", "null", "\"claims\"", "not json", #"{"iss":"a","iss":"b"}"#, ""])
    func aPayloadThatIsNotOneObjectIsMalformed(_ text: String) {
        #expect(throws: AccessTokenFormat.Failure.malformedPayload) { try AccessTokenFormat.parse(Array(text.utf8)) }
    }
}

extension JSONParser {
    /// The object `bytes` holds (test payloads are always one).
    static func parseObjectForTests(_ bytes: [UInt8]) -> JSONObject {
        (try? parse(bytes))?.objectValue ?? JSONObject()
    }
}
