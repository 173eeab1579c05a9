import Testing
@testable import DeskgateCrypto

@Suite struct ScryptTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let password: String
        let salt: String
        let n: UInt64
        let r: UInt64
        let p: UInt64
        let derived: String
        var testDescription: String { "\(password)/\(salt) N=\(n)" }
    }

    // RFC 7914 §12 (the 2^20 vector is left out: 1 GiB and seconds of CPU per run).
    static let vectors: [Vector] = [
        Vector(password: "", salt: "", n: 16, r: 1, p: 1, derived:
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"),
        Vector(password: "password", salt: "NaCl", n: 1024, r: 8, p: 16, derived:
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"),
        Vector(password: "pleaseletmein", salt: "SodiumChloride", n: 16384, r: 8, p: 1, derived:
            "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
            + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"),
    ]

    @Test(arguments: vectors)
    func rfc7914(vector: Vector) {
        let out = scrypt(password: Array(vector.password.utf8), salt: Array(vector.salt.utf8),
                         N: vector.n, r: vector.r, p: vector.p, length: 64)
        #expect(out.map(Hex.encode) == vector.derived)
    }

    @Test func rejectsNonPowerOfTwo() {
        #expect(scrypt(password: [1], salt: [2], N: 1000, r: 8, p: 1, length: 32) == nil)
    }
}

@Suite struct PasswordHasherTests {
    static let fast = PasswordHasher(logN: 4, r: 8, p: 1)

    @Test func roundTrip() throws {
        let encoded = try Self.fast.hash("correct horse battery staple")
        #expect(encoded.hasPrefix("$scrypt$ln=4,r=8,p=1$"))
        #expect(Self.fast.verify("correct horse battery staple", against: encoded))
        #expect(!Self.fast.verify("correct horse battery stapl", against: encoded))
        #expect(!Self.fast.verify("", against: encoded))
    }

    @Test func saltsDiffer() throws {
        #expect(try Self.fast.hash("pw") != Self.fast.hash("pw"))
    }

    @Test func formatHasSizedFields() throws {
        let fields = try Self.fast.hash("pw").split(separator: "$")
        #expect(fields.count == 4)
        #expect(Base64URL.decode(fields[2])?.count == 16)
        #expect(Base64URL.decode(fields[3])?.count == 32)
    }

    @Test func defaultCostMatchesContract() throws {
        let hasher = PasswordHasher()
        let encoded = try hasher.hash("pw")
        #expect(encoded.hasPrefix("$scrypt$ln=15,r=8,p=1$"))
        #expect(hasher.verify("pw", against: encoded))
        #expect(!hasher.needsRehash(encoded))
    }

    @Test func verifiesWithStoredParametersNotCurrentOnes() throws {
        let old = try PasswordHasher(logN: 5, r: 4, p: 2).hash("pw")
        #expect(Self.fast.verify("pw", against: old))
        #expect(Self.fast.needsRehash(old))
        #expect(!Self.fast.needsRehash(try Self.fast.hash("pw")))
    }

    @Test func knownEncodingVerifies() {
        // Independently computed: hashlib.scrypt(b"pw", salt=bytes(range(16)), n=16, r=8, p=1, dklen=32)
        let encoded = "$scrypt$ln=4,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$iLvOcJL-1702OpwL3M_77Pv-tCZBfaRqdIMrzsQXeJc"
        #expect(Self.fast.verify("pw", against: encoded))
    }

    static let valid = "$scrypt$ln=4,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8"

    @Test(arguments: [
        "",
        "garbage",
        "$scrypt$",
        "$argon2id$ln=4,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        "$scrypt$ln=04,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        "$scrypt$r=8,ln=4,p=1$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        "$scrypt$ln=40,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        "$scrypt$ln=20,r=32,p=16$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        "$scrypt$ln=18,r=8,p=16$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        "$scrypt$ln=4,r=0,p=1$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        "$scrypt$ln=4,r=8,p=-1$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        "$scrypt$ln=4,r=8,p=1$AAECAwQFBgcICQoLDA0ODw==$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        "$scrypt$ln=4,r=8,p=1$$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        "$scrypt$ln=4,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$",
        "$scrypt$ln=4,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8$",
        "$scrypt$ln=4,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg9",
        "$scrypt$ln=4,r=8$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        "$scrypt$ln=4,r=8,p=1,x=2$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        "$scrypt$ln=+4,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8",
        String(repeating: "$", count: 10_000),
    ])
    func malformedOrHostileIsFalse(encoded: String) {
        #expect(!Self.fast.verify("pw", against: encoded))
        #expect(Self.fast.needsRehash(encoded))
    }

    @Test func wellFormedControlParses() {
        // The hostile table's control: only the field under test differs from this.
        #expect(EncodedPasswordHash(Self.valid) != nil)
    }

    @Test func rejectsHostileConfiguredCost() {
        #expect(throws: PasswordHashError.invalidParameters) {
            try PasswordHasher(logN: 30, r: 8, p: 1).hash("pw")
        }
    }
}
