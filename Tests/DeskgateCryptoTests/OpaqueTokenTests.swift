import Testing
@testable import DeskgateCrypto

@Suite struct OpaqueTokenTests {
    @Test func format() {
        let token = OpaqueToken.generate(prefix: "dgpat_")
        #expect(token.hasPrefix("dgpat_"))
        let body = token.dropFirst("dgpat_".count)
        #expect(body.utf8.count == OpaqueToken.secretLength + OpaqueToken.checksumLength)
        #expect(body.utf8.allSatisfy(Base62.isDigit))
        #expect(OpaqueToken.hasValidChecksum(token, prefix: "dgpat_"))
    }

    @Test func atLeast160BitsOfRandomness() {
        #expect(OpaqueToken.randomByteCount * 8 >= 160)
        // The secret part must be wide enough to carry every random bit.
        #expect(Double(OpaqueToken.secretLength) * 5.954 >= Double(OpaqueToken.randomByteCount * 8))
        let tokens = Set((0..<200).map { _ in OpaqueToken.generate(prefix: "dgrt_") })
        #expect(tokens.count == 200)
    }

    @Test func checksumDetectsEveryOneCharacterChange() {
        let token = OpaqueToken.generate(prefix: "dgpat_")
        var chars = Array(token.utf8)
        for i in "dgpat_".utf8.count..<chars.count {
            let original = chars[i]
            chars[i] = original == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
            #expect(!OpaqueToken.hasValidChecksum(String(decoding: chars, as: UTF8.self), prefix: "dgpat_"))
            chars[i] = original
        }
    }

    @Test func rejectsWrongPrefixLengthOrAlphabet() {
        let token = OpaqueToken.generate(prefix: "dgpat_")
        #expect(!OpaqueToken.hasValidChecksum(token, prefix: "dgrt_"))
        #expect(!OpaqueToken.hasValidChecksum(String(token.dropLast()), prefix: "dgpat_"))
        #expect(!OpaqueToken.hasValidChecksum(token + "0", prefix: "dgpat_"))
        #expect(!OpaqueToken.hasValidChecksum("dgpat_" + String(repeating: "-", count: 39), prefix: "dgpat_"))
        #expect(!OpaqueToken.hasValidChecksum("", prefix: "dgpat_"))
    }

    @Test func storageHashIsHexSHA256OfWholeToken() {
        let token = OpaqueToken.generate(prefix: "dgpat_")
        let hash = OpaqueToken.storageHash(token)
        #expect(hash.utf8.count == 64)
        #expect(hash == Hex.encode(SHA256.hash(token)))
        #expect(OpaqueToken.storageHash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func base62FixedWidth() {
        #expect(Base62.encode([0, 0], width: 3) == "000")
        #expect(Base62.encode([0, 62], width: 3) == "010")
        #expect(Base62.encode([0xff], width: 2) == "47")
        #expect(Base62.width(forByteCount: 20) == 27)
        #expect(Base62.width(forByteCount: 24) == 33)
    }
}
