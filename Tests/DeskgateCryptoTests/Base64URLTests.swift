import Testing
@testable import DeskgateCrypto

@Suite struct Base64URLTests {
    // RFC 4648 §10 vectors (unpadded) plus bytes that use the URL-safe characters.
    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648(plain: String, encoded: String) {
        #expect(Base64URL.encode(plain) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func urlSafeAlphabet() {
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64URL.decode("-_-_") == [0xfb, 0xff, 0xbf])
    }

    @Test(arguments: [
        "QR",        // 0x41 is "QQ"; "QR" sets an unused trailing bit
        "QUJ",       // "AB" is "QUI"; "QUJ" sets an unused trailing bit
        "QQ==",      // padding
        "QQ=",
        "Q",         // impossible length
        "QUJD\n",    // whitespace
        "+/+/",      // standard alphabet
        "QU JD",
        "QUJD=",
        "é",
    ])
    func rejectsNonCanonical(input: String) {
        #expect(Base64URL.decode(input) == nil)
    }

    @Test func oneByteCanonicalSpelling() {
        #expect(Base64URL.decode("QQ") == [0x41])
    }

    @Test func roundTripAllLengths() {
        for length in 0..<70 {
            let bytes = SecureRandom.bytes(length)
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }
}
