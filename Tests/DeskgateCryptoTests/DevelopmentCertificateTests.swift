import Glibc
import Testing
@testable import DeskgateCrypto

@Suite("Development certificate")
struct DevelopmentCertificateTests {
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/deskgate-devcert-XXXXXX".utf8CString)
        return String(cString: mkdtemp(&template)!)
    }

    @Test func madeOnceThenReused() throws {
        let directory = Self.temporaryDirectory()
        let certificate = directory + "/dev-tls.crt.pem", key = directory + "/dev-tls.key.pem"
        #expect(!DevelopmentCertificate.isUsable(certificatePath: certificate, keyPath: key))
        #expect(try DevelopmentCertificate.ensure(certificatePath: certificate, keyPath: key) == true)
        #expect(DevelopmentCertificate.isUsable(certificatePath: certificate, keyPath: key))
        #expect(try DevelopmentCertificate.ensure(certificatePath: certificate, keyPath: key) == false)
        var info = stat()
        #expect(stat(key, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test func aKeyThatDoesNotMatchMakesANewPair() throws {
        let directory = Self.temporaryDirectory()
        let certificate = directory + "/c.pem", key = directory + "/k.pem"
        try DevelopmentCertificate.generate(certificatePath: certificate, keyPath: key)
        try Fixtures.key.writePrivateKey(toFile: key, overwrite: true)
        #expect(!DevelopmentCertificate.isUsable(certificatePath: certificate, keyPath: key))
        #expect(try DevelopmentCertificate.ensure(certificatePath: certificate, keyPath: key) == true)
        #expect(DevelopmentCertificate.isUsable(certificatePath: certificate, keyPath: key))
    }

    @Test func coversLoopbackNames() throws {
        let pem = try DevelopmentCertificate.certificatePEM(key: EVPKey.generateP256())
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(DevelopmentCertificate.subjectAltName.contains("DNS:localhost"))
        #expect(DevelopmentCertificate.subjectAltName.contains("IP:127.0.0.1"))
    }
}
