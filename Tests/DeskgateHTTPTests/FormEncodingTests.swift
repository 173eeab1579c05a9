@testable import DeskgateHTTP
import Testing

/// `application/x-www-form-urlencoded` and the Cookie field as values (the `form` fuzz harness
/// checks the same properties on arbitrary input).
struct FormEncodingTests {
    @Test(arguments: [
        ("plain-Text_1.2~", "plain-Text_1.2~"),
        ("a b&c=d/é", "a%20b%26c%3Dd%2F%C3%A9"),
        ("%+", "%25%2B"),
        ("", ""),
    ])
    func escapeLeavesOnlyUnreservedCharacters(text: String, escaped: String) {
        #expect(FormURLEncoding.escape(text) == escaped)
    }

    @Test(arguments: ["code=a%2Fb&state=x+y", "a=1&a=2&=&b", "bad=%zz&ok=%41", "é=ü&%C3%A9=%FF"])
    func decodedPairsEncodeBackToTheSamePairs(form: String) {
        let pairs = FormURLEncoding.decode(form)
        let again = FormURLEncoding.decode(FormURLEncoding.encode(pairs))
        #expect(again.map(\.name) == pairs.map(\.name))
        #expect(again.map(\.value) == pairs.map(\.value))
    }

    @Test(arguments: [
        ("dg_s=abc; dg_flash=x=y", "dg_flash", "x=y"),
        ("a=1; a=2", "a", "1"),
        ("broken; a=", "a", ""),
        ("  b=2", "b", "2"),
    ])
    func aCookieIsReadAsItsFirstPair(field: String, name: String, value: String) {
        #expect(CookieHeader.value(name, inField: field) == value)
        #expect(CookieHeader.value("absent", inField: field) == nil)
    }
}
