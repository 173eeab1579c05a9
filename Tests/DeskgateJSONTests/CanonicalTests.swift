@testable import DeskgateJSON
import Testing

/// Canonical encoding (approvals, idempotency keys and the audit log hash it): members sorted by
/// their keys' UTF-8 bytes at every depth, whatever order they were written in.
struct CanonicalTests {
    static func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test(arguments: [
        (#"{"b":1,"a":2}"#, #"{"a":2,"b":1}"#),
        (#"{"z":{"y":[{"d":1,"c":2}],"x":null},"é":true,"e":"\u00e9"}"#, #"{"e":"é","z":{"x":null,"y":[{"c":2,"d":1}]},"é":true}"#),
        (#"[3,{"b":"x","a":1.5}]"#, #"[3,{"a":1.5,"b":"x"}]"#),
        (#"{}"#, #"{}"#),
        (#"{"ticket":42}"#, #"{"ticket":42}"#),
    ])
    func membersAreSortedAtEveryDepth(input: String, canonical: String) throws {
        let bytes = try Self.parse(input).canonicalEncoded()
        #expect(String(decoding: bytes, as: UTF8.self) == canonical)
    }

    @Test func leftOutMembersAreLeftOutAtTheTopOnly() throws {
        let value = try Self.parse(#"{"access_token":"t","ticket":1,"inner":{"access_token":"kept"}}"#)
        let bytes = value.canonicalEncoded(leavingOut: ["access_token"])
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"inner":{"access_token":"kept"},"ticket":1}"#)
    }

    @Test func anyMemberOrderGivesTheSameBytes() throws {
        let a = try Self.parse(#"{"tags":["b","a"],"ticket":7,"note":{"x":1,"w":2}}"#)
        let b = try Self.parse(#"{"note":{"w":2,"x":1},"ticket":7,"tags":["b","a"]}"#)
        #expect(a.canonicalEncoded() == b.canonicalEncoded())
    }
}
