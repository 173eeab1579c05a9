import Glibc
import Testing
@testable import DeskgateCrypto

@Suite struct SigningKeyTests {
    @Test func pemRoundTripKeepsTheKey() throws {
        let pem = Fixtures.key.pemPrivateKey()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let reloaded = try SigningKey(pem: pem)
        #expect(reloaded.keyID == Fixtures.key.keyID)
        let token = JWS.sign(payload: Array("{}".utf8), key: reloaded)
        #expect(throws: Never.self) { try JWS.verify(token, keys: Fixtures.lookup(Fixtures.key.publicKey)) }
    }

    @Test func rfcKeyFromPEMHasRFCCoordinatesAndThumbprint() throws {
        let key = try SigningKey(pem: Fixtures.rfcPrivatePEM)
        #expect(key.publicKey.jwk["x"] == Fixtures.rfcPublicJWK["x"])
        #expect(key.publicKey.jwk["y"] == Fixtures.rfcPublicJWK["y"])
        #expect(key.publicKey.thumbprint == Fixtures.rfcThumbprint)
        #expect(key.keyID == Fixtures.rfcThumbprint)
    }

    @Test(arguments: [
        "",
        "not a pem",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    ])
    func invalidPEMIsRefused(pem: String) {
        #expect(throws: KeyError.invalidPEM) { try SigningKey(pem: pem) }
    }

    @Test func publicPEMIsNotAPrivateKey() {
        #expect(throws: KeyError.invalidPEM) { try SigningKey(pem: Fixtures.key.publicKey.pemPublicKey()) }
    }

    @Test func publicPEMRoundTrip() throws {
        let pem = Fixtures.key.publicKey.pemPublicKey()
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(try VerificationKey(pem: pem).thumbprint == Fixtures.key.publicKey.thumbprint)
    }

    @Test func privateKeyFileIsMode0600EvenWithPermissiveUmask() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { Fixtures.removeTree(dir) }
        let path = dir + "/es256.key.pem"
        let previous = umask(0)
        defer { umask(previous) }
        try Fixtures.key.writePrivateKey(toFile: path)
        #expect(Fixtures.mode(of: path) == 0o600)
        #expect(try SigningKey.load(fromFile: path).keyID == Fixtures.key.keyID)
    }

    @Test func existingKeyFileIsNotOverwrittenUnlessAsked() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { Fixtures.removeTree(dir) }
        let path = dir + "/es256.key.pem"
        try Fixtures.key.writePrivateKey(toFile: path)
        #expect(throws: KeyError.fileExists(path: path)) { try Fixtures.otherKey.writePrivateKey(toFile: path) }
        #expect(try SigningKey.load(fromFile: path).keyID == Fixtures.key.keyID)
        try Fixtures.otherKey.writePrivateKey(toFile: path, overwrite: true)
        #expect(try SigningKey.load(fromFile: path).keyID == Fixtures.otherKey.keyID)
        #expect(Fixtures.mode(of: path) == 0o600)
    }

    @Test func worldReadableKeyFileIsRefused() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { Fixtures.removeTree(dir) }
        let path = dir + "/es256.key.pem"
        try Fixtures.key.writePrivateKey(toFile: path)
        chmod(path, 0o644)
        #expect(throws: KeyError.insecureFilePermissions(path: path, mode: 0o644)) {
            try SigningKey.load(fromFile: path)
        }
        #expect(try SigningKey.load(fromFile: path, requirePrivateMode: false).keyID == Fixtures.key.keyID)
    }

    @Test func missingFileIsAFileSystemError() {
        #expect(throws: KeyError.fileSystem(path: "/nonexistent/k.pem", errno: ENOENT)) {
            try SigningKey.load(fromFile: "/nonexistent/k.pem")
        }
    }
}

@Suite struct VerificationKeyTests {
    @Test func jwkExportHasTheContractShape() {
        let key = Fixtures.key.publicKey
        let x = key.jwk["x"]!, y = key.jwk["y"]!
        #expect(key.jwkJSON == #"{"kty":"EC","crv":"P-256","x":"\#(x)","y":"\#(y)","kid":"\#(key.thumbprint)","alg":"ES256","use":"sig"}"#)
        #expect(x.utf8.count == 43 && y.utf8.count == 43)
    }

    @Test func jwkExportImportVerify() throws {
        let imported = try VerificationKey(jwkJSON: Array(Fixtures.key.publicKey.jwkJSON.utf8))
        #expect(imported.keyID == Fixtures.key.keyID)
        #expect(imported.thumbprint == Fixtures.key.publicKey.thumbprint)
        let token = JWS.sign(payload: Array("hello".utf8), key: Fixtures.key)
        #expect(try JWS.verify(token, keys: Fixtures.lookup(imported)).payload == Array("hello".utf8))
    }

    @Test func thumbprintIgnoresKidAlgUseAndIsStable() throws {
        var jwk = Fixtures.rfcPublicJWK
        let plain = try VerificationKey(jwk: jwk)
        jwk["kid"] = "some-other-id"
        jwk["alg"] = "ES256"
        jwk["use"] = "sig"
        let decorated = try VerificationKey(jwk: jwk)
        #expect(plain.thumbprint == Fixtures.rfcThumbprint)
        #expect(decorated.thumbprint == Fixtures.rfcThumbprint)
        #expect(decorated.keyID == "some-other-id")
        #expect(plain.keyID == Fixtures.rfcThumbprint)
    }

    @Test func rfc7515ExampleSignatureVerifies() throws {
        // The RFC's token has no kid, so check the signature below the JWS layer.
        let key = try VerificationKey(jwk: Fixtures.rfcPublicJWK)
        let parts = Fixtures.rfcToken.split(separator: ".")
        let signingInput = Array((parts[0] + "." + parts[1]).utf8)
        let signature = try #require(Base64URL.decode(parts[2]))
        #expect(ECDSASignature.verify(signature, message: signingInput, with: key.key))
        #expect(!ECDSASignature.verify(signature, message: signingInput + [0x20], with: key.key))
    }

    static func replacing(_ member: String, with value: String?) -> [String: String] {
        var jwk = Fixtures.rfcPublicJWK
        jwk[member] = value
        return jwk
    }

    @Test(arguments: [
        (replacing("kty", with: "RSA"), KeyError.unsupportedKeyType),
        (replacing("crv", with: "P-384"), .unsupportedKeyType),
        (replacing("alg", with: "RS256"), .unsupportedKeyType),
        (replacing("use", with: "enc"), .unsupportedKeyType),
        (replacing("kty", with: nil), .invalidJWK),
        (replacing("x", with: nil), .invalidJWK),
        (replacing("x", with: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEV"), .invalidJWK),  // non-canonical
        (replacing("x", with: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVE"), .invalidJWK),  // 31 bytes + bits
        (replacing("x", with: "AAf83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"), .invalidJWK),  // too long
        (replacing("y", with: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5aA"), .invalidPublicKey),  // off the curve
        (replacing("kid", with: ""), .invalidJWK),
    ])
    func badJWKIsRefused(jwk: [String: String], error: KeyError) {
        #expect(throws: error) { try VerificationKey(jwk: jwk) }
    }

    @Test(arguments: ["", "[]", "{", #"{"kty":"EC","crv":"P-256","x":1,"y":2}"#])
    func badJWKJSONIsRefused(json: String) {
        #expect(throws: KeyError.invalidJWK) { try VerificationKey(jwkJSON: Array(json.utf8)) }
    }

    @Test func jwkSetRoundTripSkipsForeignKeys() throws {
        let set = JWKSet.json([Fixtures.key.publicKey, Fixtures.otherKey.publicKey])
        #expect(set.hasPrefix(#"{"keys":[{"kty":"EC""#))
        let withRSA = #"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","key_ops":["verify"]},"#
            + Fixtures.key.publicKey.jwkJSON + "," + Fixtures.otherKey.publicKey.jwkJSON + "]}"
        let keys = try JWKSet.keys(fromJSON: Array(withRSA.utf8))
        #expect(keys.map(\.keyID) == [Fixtures.key.keyID, Fixtures.otherKey.keyID])
        #expect(throws: KeyError.invalidJWK) { try JWKSet.keys(fromJSON: Array(#"{"key":[]}"#.utf8)) }
    }
}
