// libFuzzer harness for the text a browser or an OAuth client sends to deskgate-auth
// (scripts/fuzz form): `application/x-www-form-urlencoded` bodies and query strings, percent
// decoding, and the `Cookie` field. Beyond "no crash, no memory error" it checks:
// - what a form decodes to encodes to a form that decodes to the same pairs, in order;
// - a cookie named in a `Cookie` field is found with the value of its first pair, and a name
//   that is not there is not found.
@testable import DeskgateHTTP
#if canImport(Glibc)
import Glibc
#endif

func fail(_ what: String, _ detail: String) -> Never {
    print("\(what): \(detail)")
    fflush(nil)
    abort()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)

    let pairs = FormURLEncoding.decode(text)
    let again = FormURLEncoding.decode(FormURLEncoding.encode(pairs))
    if again.count != pairs.count || zip(again, pairs).contains(where: { $0.name != $1.name || $0.value != $1.value }) {
        fail("form pairs changed on the way back", text)
    }
    _ = PercentDecoding.decode(Substring(text))

    // The field as a browser would send it, and what the reader must find in it.
    var expected: [Substring: Substring] = [:]
    for pair in text.split(separator: ";") {
        let trimmed = pair.drop { $0 == " " }
        guard let equals = trimmed.firstIndex(of: "=") else { continue }
        let name = trimmed[..<equals]
        if expected[name] == nil { expected[name] = trimmed[trimmed.index(after: equals)...] }
    }
    for (name, value) in expected.prefix(8) where CookieHeader.value(String(name), inField: text) != String(value) {
        fail("cookie \(name) not read as its first value", text)
    }
    if CookieHeader.value("\u{0}absent\u{0}", inField: text) != nil, !text.contains("\u{0}absent\u{0}=") {
        fail("a cookie that is not there was found", text)
    }
    return 0
}
