import Testing
@testable import DeskgateCrypto

@Suite struct SHA256Tests {
    // FIPS 180-2 Appendix B vectors plus the empty message.
    @Test(arguments: [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func fipsVector(message: String, expected: String) {
        #expect(Hex.encode(SHA256.hash(message)) == expected)
        #expect(Hex.encode(SHA256.hash(Array(message.utf8))) == expected)
    }

    @Test func nonContiguousCollection() {
        let bytes = Array("abc".utf8)
        #expect(SHA256.hash(bytes.reversed().reversed()) == SHA256.hash(bytes))
    }
}

@Suite struct HMACSHA256Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: [UInt8]
        let data: [UInt8]
        let mac: String
        var testDescription: String { name }
    }

    // RFC 4231 §4.2, 4.3, 4.4, 4.7.
    static let vectors: [Vector] = [
        Vector(name: "case 1", key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
               mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Vector(name: "case 2", key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
               mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Vector(name: "case 3", key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50),
               mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Vector(name: "case 6", key: [UInt8](repeating: 0xaa, count: 131),
               data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
               mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ]

    @Test(arguments: vectors)
    func rfc4231(vector: Vector) {
        #expect(Hex.encode(HMACSHA256.authenticate(key: vector.key, data: vector.data)) == vector.mac)
    }

    @Test func emptyKeyAndMessage() {
        // Python: hmac.new(b"", b"", "sha256").hexdigest()
        #expect(Hex.encode(HMACSHA256.authenticate(key: [], data: [UInt8]()))
            == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}

@Suite struct ConstantTimeAndHexTests {
    @Test(arguments: [
        ([UInt8](), [UInt8](), true),
        ([1, 2, 3], [1, 2, 3], true),
        ([1, 2, 3], [1, 2, 4], false),
        ([1, 2, 3], [1, 2], false),
        ([], [0], false),
    ])
    func equals(a: [UInt8], b: [UInt8], expected: Bool) {
        #expect(ConstantTime.equals(a, b) == expected)
    }

    @Test func hexRoundTrip() {
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.decode("000FA0ff") == [0x00, 0x0f, 0xa0, 0xff])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }

    @Test func randomBytes() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(32).count == 32)
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
        #expect(SecureRandom.base64URL(byteCount: 32).utf8.count == 43)
    }
}
